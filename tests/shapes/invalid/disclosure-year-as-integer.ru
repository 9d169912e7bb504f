# shape: bps:DisclosureShape
# expect: a disclosure needs exactly one budget year (xsd:gYear)
DELETE { <disclosure/917003/2020> bp:budgetYear ?year } INSERT { <disclosure/917003/2020> bp:budgetYear 2020 } WHERE { <disclosure/917003/2020> bp:budgetYear ?year }
