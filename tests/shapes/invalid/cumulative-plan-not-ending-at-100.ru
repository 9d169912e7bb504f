# shape: bps:CumulativeSpendingPlanShape
# severity: warning
# expect: the cumulative spending plan ends at empty, not 100
DELETE DATA { <project/2020/917-0101-YCN-8FBM> bp:spendingPlanCumulative false }
;
INSERT DATA { <project/2020/917-0101-YCN-8FBM> bp:spendingPlanCumulative true }
