# shape: bps:DepartmentShape
# expect: a department needs exactly one department code (letters and digits)
DELETE { ?d skos:notation ?code } INSERT { ?d skos:notation "917/003" } WHERE { ?d a bp:Department ; skos:notation ?code }
