package procstat

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Memory
	}{
		{"tabs and spaces", "Name:\tx\nVmHWM:\t    2188 kB\nVmRSS:\t    2100 kB\n", Memory{RSS: 2100 * 1024, HWM: 2188 * 1024}},
		{"zero", "VmRSS:\t0 kB\nVmHWM:\t0 kB\n", Memory{}},
		{"other Vm fields ignored", "VmPeak:\t9 kB\nVmRSS:\t1 kB\nVmHWM:\t2 kB\nVmSwap:\t7 kB\n", Memory{RSS: 1024, HWM: 2048}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got != tt.want {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		missing bool
	}{
		{"empty", "", true},
		{"no HWM", "VmRSS:\t12 kB\n", true},
		{"kernel thread", "Name:\tkthreadd\nState:\tS\n", true},
		{"other unit", "VmRSS:\t12 MB\nVmHWM:\t12 kB\n", false},
		{"not a number", "VmRSS:\tmany kB\nVmHWM:\t12 kB\n", false},
		{"negative", "VmRSS:\t-4 kB\nVmHWM:\t12 kB\n", false},
		{"too large", "VmRSS:\t99999999999999999 kB\nVmHWM:\t12 kB\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.text))
			if err == nil {
				t.Fatal("Parse returned no error")
			}
			if got := errors.Is(err, ErrMissingField); got != tt.missing {
				t.Errorf("errors.Is(err, ErrMissingField) = %v, want %v (err: %v)", got, tt.missing, err)
			}
		})
	}
}

func TestReadOwnProcess(t *testing.T) {
	m, err := Read(os.Getpid())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if m.RSS <= 0 {
		t.Errorf("RSS = %d, want > 0", m.RSS)
	}
	if m.HWM < m.RSS {
		t.Errorf("HWM %d below RSS %d", m.HWM, m.RSS)
	}
}

func TestReadMissingProcess(t *testing.T) {
	if _, err := Read(-1); err == nil {
		t.Fatal("Read(-1) returned no error")
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/status.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("VmRSS:\t1 kB\nVmHWM:\t2 kB\n")
	f.Add("VmRSS:1kB")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		if m.RSS < 0 || m.HWM < 0 || m.RSS%1024 != 0 || m.HWM%1024 != 0 {
			t.Errorf("Parse(%q) = %+v: sizes must be non-negative multiples of 1024", text, m)
		}
	})
}
