"""The benchmark of issue 9: ``make bench`` (``scripts/bench.sh`` → ``manage.py bench``).

A Django app installed only by ``config.settings.bench``, split by what it measures:

* :mod:`.stats` and :mod:`.report` are pure (percentiles, targets, the table and
  ``docs/performance.md``), tested in ``tests/test_bench.py``;
* :mod:`.world` adds the measured bloc (15 members, a 40-criteria sheet, an open poll) to
  a database that already holds ``seed_demo``;
* :mod:`.pages` times the main pages in-process, :mod:`.pdf` the year-end dossier against
  WeasyPrint alone, :mod:`.ballots` 15 leaders voting at once, :mod:`.load` gunicorn
  under ``wrk``;
* :mod:`.databases` builds (or reuses) the single-bloc and national databases;
* ``manage.py bench`` runs everything; ``manage.py bench_measure`` is its worker, run
  once per database because a process's settings name one database.
"""
