"""Conference pages, one module per sub-domain: ``rules`` (province
defaults, the year's rules, eligibility), ``voting`` (conference record,
attendance, counting committee, polls, ballots, paper counts), ``outcomes``
(results, proposals, election, submission, handover), ``documents`` (PDFs
and achievement reports)."""
