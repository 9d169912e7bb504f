# shape: bps:ProvenanceShape
# expect: a project or indicator must name exactly one source document (prov:wasDerivedFrom)
DELETE WHERE { <project/2020/917-0101-YCN-8FBM#indicator-2> prov:wasDerivedFrom ?source }
