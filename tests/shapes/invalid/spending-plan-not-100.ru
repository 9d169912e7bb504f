# shape: bps:SpendingPlanShape
# severity: warning
# expect: the spending plan's shares add up to 110.00, not 100
INSERT DATA { <project/2020/917-0101-YCN-8FBM#plan-4> bp:percent 10.00 }
