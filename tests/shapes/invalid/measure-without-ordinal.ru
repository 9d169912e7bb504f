# shape: bps:GoalShape
# expect: a goal or measure needs exactly one ordinal (an integer ≥ 1)
DELETE WHERE { <disclosure/917003/2020#measure-1> bp:ordinal ?n }
