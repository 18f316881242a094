package phone

import "testing"

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, region string
		want        string
		mobile      bool
		wantErr     bool
	}{
		{"070-123 45 67", "SE", "+46701234567", true, false},
		{"+46 70 123 45 67", "SE", "+46701234567", true, false},
		{"0046701234567", "SE", "+46701234567", true, false},
		{"08-123 456 78", "SE", "+46812345678", false, false},
		{"+47 412 34 567", "SE", "+4741234567", true, false},
		{"12", "SE", "", false, true},
		{"070-ABC", "SE", "", false, true},
		{"", "SE", "", false, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.raw, tt.region)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error = %v, want error %v", tt.raw, err, tt.wantErr)
			continue
		}
		if got.E164 != tt.want || (err == nil && got.Mobile != tt.mobile) {
			t.Errorf("Parse(%q) = %+v, want %s mobile=%v", tt.raw, got, tt.want, tt.mobile)
		}
	}
}

func TestSearchKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ q, want string }{
		{"0701234567", "46701234567"},
		{"+46 70 123 45 67", "46701234567"},
		{"070-123", "4670123"},
		{"0046 70", "4670"},
		{"701234", "701234"},
		{"+46 (0)70-555 66 77", "46705556677"},
	}
	for _, tt := range tests {
		if got := SearchKey(tt.q, "SE"); got != tt.want {
			t.Errorf("SearchKey(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
	for q, want := range map[string]string{"70 555 66 77": "46705556677", "070 555": "", "+46 70": ""} {
		if got := NationalSearchKey(q, "SE"); got != want {
			t.Errorf("NationalSearchKey(%q) = %q, want %q", q, got, want)
		}
	}
	if !LooksLike("+46 (70) 123-45") || LooksLike("anna 070") || LooksLike("12") {
		t.Error("LooksLike misclassifies")
	}
}
