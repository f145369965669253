"""Page counts for the workplace's lists at a million cases (issue 21, decision 019).

Django's admin paginator counts every matching row (``SELECT COUNT(*)``) on every page: with a million cases
that is the slowest query of the page and grows with the table. Here a list counts exactly up to
``EXACT_UP_TO`` rows, and beyond that takes PostgreSQL's own estimate, shown as "about N": the table's size
from its statistics (``pg_class.reltuples``) when nothing is filtered, otherwise the planner's row estimate
(``EXPLAIN``). A reviewer sees exact figures wherever they are small enough to act on. SQLite, used for small
databases, always counts exactly.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Counting up to this many rows reads at most this many index entries (milliseconds: 10,000 cost 60-250 ms
# on the loaded bench machine); above it, 20 pages of 50, nobody pages through the rest and "about" is honest.
EXACT_UP_TO = 1_000


def table_estimate(queryset) -> int | None:
    """The table's row count from PostgreSQL's statistics, or None before the first ANALYZE."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                       [queryset.model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def planner_estimate(queryset) -> int:
    """How many rows PostgreSQL's planner expects ``queryset`` to return."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """A paginator whose ``count`` is exact up to ``EXACT_UP_TO`` and estimated above it on PostgreSQL;
    ``estimated`` says which (the pagination and search templates print "about")."""

    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql":
            return super().count
        unfiltered = not queryset.query.where
        if unfiltered and (size := table_estimate(queryset)) is not None and size > EXACT_UP_TO:
            self.estimated = True
            return size
        counted = queryset.order_by()[: EXACT_UP_TO + 1].count()
        if counted <= EXACT_UP_TO:
            return counted
        self.estimated = True
        return max(counted, planner_estimate(queryset))
