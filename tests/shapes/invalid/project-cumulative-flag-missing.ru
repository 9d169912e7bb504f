# shape: bps:ProjectShape
# expect: a project must say whether its spending plan is cumulative (xsd:boolean)
DELETE WHERE { <project/2020/917-0101-YCN-8FBM> bp:spendingPlanCumulative ?flag }
