# shape: bps:DisclosureShape
# expect: a disclosure needs exactly one department (a bp:Department)
DELETE WHERE { <disclosure/917003/2020> bp:department ?department }
