package generate

// Word lists for company and person names. Companies are built as
// prefix+suffix plus a sector word ("Bluepeak Systems"), which gives a few
// thousand plausible, distinct names.
var (
	namePrefixes = []string{
		"North", "Blue", "Silver", "Iron", "Bright", "Cedar", "Harbor", "Summit", "Quartz", "Maple",
		"Red", "Green", "Stone", "Clear", "Swift", "Lumen", "Nova", "Arc", "Pine", "Oak",
		"Falcon", "Copper", "Granite", "Willow", "Aurora", "Delta", "Echo", "Atlas", "Orion", "Vertex",
	}
	nameSuffixes = []string{
		"wind", "peak", "line", "stone", "field", "gate", "works", "bridge", "wave", "point",
		"leaf", "path", "light", "forge", "crest", "haven", "ridge", "spark", "lake", "vale",
	}
	sectors = []string{
		"Analytics", "Systems", "Logistics", "Health", "Labs", "Software", "Media", "Robotics", "Foods", "Capital",
		"Retail", "Energy", "Networks", "Learning", "Biotech", "Travel", "Insurance", "Studios", "Security", "Mobility",
	}
	firstNames = []string{
		"Jane", "Michael", "Priya", "Lukas", "Sofia", "Kenji", "Amara", "Carlos", "Emma", "Oliver",
		"Chloé", "Mateo", "Hannah", "Ravi", "Yuki", "Fatima", "Liam", "Ingrid", "Diego", "Aisha",
		"Thomas", "Mei", "Jonas", "Lucía", "Noah", "Sarah", "Ahmed", "Julia", "Daniel", "Camila",
		"Pieter", "Grace", "Tomás", "Nina", "Arjun", "Claire", "Felix", "Valentina", "Sam", "Olga",
	}
	lastNames = []string{
		"Smith", "Müller", "Patel", "Nakamura", "Okafor", "García", "Johansson", "Dubois", "Rossi", "Chen",
		"Williams", "Schneider", "Kumar", "Tanaka", "Silva", "Jensen", "Martin", "O'Brien", "Kowalski", "Nguyen",
		"Brown", "Fischer", "Singh", "Sato", "Santos", "de Vries", "Lefebvre", "Murphy", "Hernández", "Lee",
	}
	titles = []string{
		"Accounts Payable Specialist", "AP Manager", "Finance Manager", "Financial Controller", "CFO",
		"Head of Finance", "Procurement Manager", "Finance Operations Lead", "Bookkeeper", "VP Finance",
		"Office Manager", "IT Director", "Head of Operations", "Senior Accountant",
	}
	// colleagues are the vendor's own people: CSMs, billing agents, owners.
	colleagues = []string{"Maya", "Ben", "Kofi", "Lena", "Raj", "Sven", "Ines", "Tom", "Aiko", "Paula"}
	plans      = [...][]string{
		{"Starter", "Team", "Basic"},
		{"Growth", "Business", "Professional"},
		{"Enterprise", "Enterprise Plus", "Scale"},
	}
	products = []string{"Analytics Pro", "API Platform", "Data Sync", "Workflow Suite", "Insights add-on", "Premium Support", "SSO add-on", "Storage Pack"}
)

// vendor is the SaaS company whose billing team uses billtriage.
const (
	vendor       = "Tallybird"
	vendorDomain = "tallybird.io"
)
