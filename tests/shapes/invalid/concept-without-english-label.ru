# shape: bps:ConceptShape
# expect: a category needs one preferred label in Chinese and one in English
INSERT DATA { bpc:safety a skos:Concept ; skos:inScheme bpc: ; skos:notation "safety" ; bp:level 2 ;
    skos:broader bpc:output ; skos:prefLabel "安全指标"@zh }
