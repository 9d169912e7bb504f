# shape: bps:TextualBodyShape
# expect: a finding's message needs one text in Chinese and one in English
DELETE WHERE { <project/2020/917-0101-YCN-8FBM#finding-1-body> rdf:value "依据过于笼统"@zh }
