# shape: bps:GoalShape
# expect: a goal or measure needs exactly one text (language-tagged)
DELETE WHERE { <project/2020/917-0101-YCN-8FBM#goal-1> bp:text ?text }
