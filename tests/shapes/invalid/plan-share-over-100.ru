# shape: bps:SpendingPlanEntryShape
# expect: at most one share, an xsd:decimal from 0 to 100
# (-75 + 25 + 150 = 100, so the sum check stays quiet)
DELETE DATA { <project/2020/917-0101-YCN-8FBM#plan-1> bp:percent 25.00 . <project/2020/917-0101-YCN-8FBM#plan-3> bp:percent 50.00 }
;
INSERT DATA { <project/2020/917-0101-YCN-8FBM#plan-1> bp:percent "-75.00"^^xsd:decimal . <project/2020/917-0101-YCN-8FBM#plan-4> bp:percent 150.00 }
