"""Whether the case changed since its chosen proposal: letters print the proposal's figures only
(one date), so the letters page says when they are out of date and offers to choose again."""

import json

from ..proposal.quote import engine_input_for


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)


def proposal_is_stale(case, proposal) -> bool:
    """True when the engine's input built from the case now, for the proposal's own date, differs from the
    input the proposal was computed from: a debt, the budget, the log's limitation events, the floor or the
    LPR table changed since."""
    return _canonical(engine_input_for(case, proposal.figures_date)) != _canonical(proposal.engine_input)
