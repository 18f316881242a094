package catalog

import (
	"strings"
	"testing"
)

func TestKnown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, path string
		want      bool
	}{
		{"order", "customer.name", true},
		{"order", "customer", true},
		{"order", "order.number", true},
		{"order", "order.nope", false},
		{"order", "nope", false},
		{"order", "customer.name.first", false},
		{"order", "customer.name.size", true},
		{"order", "performers", true},
		{"order", "performers.size", true},
		{"order", "performers.first.name", true},
		{"order", "performers.last.id", true},
		{"order", "performers.0.name", true},
		{"order", "performers.-1.name", true},
		{"order", "performers.*.name", true},
		{"order", "performers.*.nope", false},
		{"order", "performers.name", false},
		{"order", "performers.first.first", false},
		{"order", "performers.first.name.size", true},
		{"order", "performers.size.name", false},
		{"order", "order.activities.first.status", true},
		{"order", "order.activities.*.nope", false},
		{"order", "customer.*", true},
		{"order", "customer.*.anything", true},
		{"order", "*", false},
		{"order", "*.name", false},
		{"order", "data", true},
		{"order", "data.anything.at.all", true},
		{"order", "plans", false},
		{"order", "inspection.result", false},
		{"order", "size", false},
		{"work_shift", "plans.first.starts_at", true},
		{"work_shift", "user.name", true},
		{"work_shift", "order.number", false},
		{"room_inspection", "inspection.rooms.*.score", true},
		{"room_inspection", "inspection.units.*.score", false},
		{"unit_inspection", "inspection.units.*.score", true},
		{"activity", "order.number", true},
		{"activity", "order.activities", false},
		{"deviation", "deviation.reported_by", true},
	}
	for _, tt := range tests {
		et, _ := Lookup(tt.typ)
		if got := et.Known(strings.Split(tt.path, ".")); got != tt.want {
			t.Errorf("%s.Known(%q) = %v, want %v", tt.typ, tt.path, got, tt.want)
		}
	}
	if got := (EventType{}).Known(nil); got {
		t.Errorf("Known(nil) = true, want false")
	}
}

// TestKnownCoversDeclarations checks that every declared variable, read
// the way a template reads it, is known.
func TestKnownCoversDeclarations(t *testing.T) {
	t.Parallel()
	for _, et := range All() {
		for _, v := range et.Variables {
			path := strings.Split(v.Name, ".")
			var read []string
			for i, seg := range path {
				read = append(read, seg)
				if i < len(path)-1 {
					if d, _ := et.Variable(strings.Join(path[:i+1], ".")); d.Type == TypeList {
						read = append(read, "first")
					}
				}
			}
			if !et.Known(read) {
				t.Errorf("%s.Known(%q) = false, want true", et.Name, strings.Join(read, "."))
			}
		}
	}
}

func TestSamples(t *testing.T) {
	t.Parallel()
	et, _ := Lookup("order")
	s := et.Samples()
	customer, _ := s["customer"].(map[string]any)
	if got, want := customer["name"], "Norrmalms Kontorsfastigheter AB"; got != want {
		t.Errorf("customer.name = %v, want %q", got, want)
	}
	order, _ := s["order"].(map[string]any)
	if got, want := order["name"], "Kontorsstädning vecka 48"; got != want {
		t.Errorf("order.name = %v, want %q", got, want)
	}
	performers, ok := s["performers"].([]any)
	if !ok || len(performers) != 2 {
		t.Fatalf("performers = %#v, want a list of 2", s["performers"])
	}
	first, _ := performers[0].(map[string]any)
	if got, want := first["name"], "Ahmed Hassan"; got != want {
		t.Errorf("performers[0].name = %v, want %q", got, want)
	}
	if acts, ok := order["activities"].([]any); !ok || len(acts) != 3 {
		t.Errorf("order.activities = %#v, want a list of 3", order["activities"])
	}
	if _, ok := s["data"].(map[string]any); !ok {
		t.Errorf("data = %#v, want an object", s["data"])
	}
	// The caller owns the result: changing it must not change the catalogue.
	first["name"] = "changed"
	customer["name"] = "changed"
	again := et.Samples()
	if got := again["performers"].([]any)[0].(map[string]any)["name"]; got != "Ahmed Hassan" {
		t.Errorf("after changing a previous result, performers[0].name = %v", got)
	}
	if got := again["customer"].(map[string]any)["name"]; got == "changed" {
		t.Errorf("after changing a previous result, customer.name = %v", got)
	}
}

// TestSamplesMatchDeclarations checks that every top-level sample path is
// declared and that every subject has its samples.
func TestSamplesMatchDeclarations(t *testing.T) {
	t.Parallel()
	for _, et := range All() {
		s := et.Samples()
		for root, val := range s {
			m, ok := val.(map[string]any)
			if !ok {
				if !et.Known([]string{root}) {
					t.Errorf("%s: sample %q is not declared", et.Name, root)
				}
				continue
			}
			for key := range m {
				if !et.Known([]string{root, key}) {
					t.Errorf("%s: sample %s.%s is not declared", et.Name, root, key)
				}
			}
		}
		subject := map[string]string{"room_inspection": "inspection", "unit_inspection": "inspection"}[et.Name]
		if subject == "" {
			subject = et.Name
		}
		if _, ok := s[subject].(map[string]any); !ok {
			t.Errorf("%s: no %q sample", et.Name, subject)
		}
	}
}
