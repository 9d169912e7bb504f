# shape: bps:QualityAnnotationShape
# expect: a finding needs a hint in Chinese and one in English
DELETE WHERE { <project/2020/917-0101-YCN-8FBM#finding-1> bp:hint "name the document the target is based on"@en }
