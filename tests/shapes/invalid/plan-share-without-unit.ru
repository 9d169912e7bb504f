# shape: bps:SpendingPlanEntryShape
# expect: the share's unit must be unit:PERCENT
DELETE DATA { <project/2020/917-0101-YCN-8FBM#plan-1> qudt:unit unit:PERCENT }
