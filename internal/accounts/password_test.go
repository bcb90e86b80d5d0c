package accounts

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
)

// fastParams keep tests quick; production uses DefaultParams.
var fastParams = Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordRoundTrip(t *testing.T) {
	encoded := HashPassword("correct horse battery", fastParams)

	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("encoded hash %q does not start with the parameters", encoded)
	}

	ok, err := VerifyPassword("correct horse battery", encoded)
	if err != nil || !ok {
		t.Errorf("VerifyPassword(right password) = %t, %v; want true", ok, err)
	}

	for _, wrong := range []string{"correct horse batterY", "correct horse battery ", "", "correct horse"} {
		ok, err := VerifyPassword(wrong, encoded)
		if err != nil || ok {
			t.Errorf("VerifyPassword(%q) = %t, %v; want false", wrong, ok, err)
		}
	}
}

func TestHashPasswordUsesNewSalt(t *testing.T) {
	a := HashPassword("same password", fastParams)
	b := HashPassword("same password", fastParams)
	if a == b {
		t.Errorf("two hashes of one password are equal: %s", a)
	}
}

func TestHashPasswordDefaultParams(t *testing.T) {
	encoded := HashPassword("correct horse battery", DefaultParams)

	h, err := DecodeHash(encoded)
	if err != nil {
		t.Fatalf("DecodeHash: %v", err)
	}
	if h.Params != DefaultParams {
		t.Errorf("decoded params %+v, want %+v", h.Params, DefaultParams)
	}
	if !h.Verify("correct horse battery") {
		t.Error("the password does not verify against its hash")
	}
}

func TestVerifyReferenceHashes(t *testing.T) {
	f, err := os.Open("testdata/reference_hashes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	count := 0
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		password, encoded, _ := strings.Cut(line, "\t")
		count++

		t.Run(password, func(t *testing.T) {
			h, err := DecodeHash(encoded)
			if err != nil {
				t.Fatalf("DecodeHash(%q): %v", encoded, err)
			}
			if !h.Verify(password) {
				t.Error("the reference hash does not verify")
			}
			if h.Verify(password + "x") {
				t.Error("a wrong password verifies")
			}
			if h.String() != encoded {
				t.Errorf("re-encoded as %q, want %q", h.String(), encoded)
			}
		})
	}
	if count == 0 {
		t.Fatal("no reference hash in testdata/reference_hashes.txt")
	}
}

func TestNeedsRehash(t *testing.T) {
	h, err := DecodeHash(HashPassword("password123", fastParams))
	if err != nil {
		t.Fatal(err)
	}

	if h.NeedsRehash(fastParams) {
		t.Error("hash made with the current parameters needs a rehash")
	}

	changes := map[string]func(*Params){
		"time":     func(p *Params) { p.Time++ },
		"memory":   func(p *Params) { p.Memory *= 2 },
		"threads":  func(p *Params) { p.Threads++ },
		"salt len": func(p *Params) { p.SaltLen = 32 },
		"key len":  func(p *Params) { p.KeyLen = 64 },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			p := fastParams
			change(&p)
			if !h.NeedsRehash(p) {
				t.Errorf("hash with %+v does not need a rehash to %+v", h.Params, p)
			}
		})
	}
}

func TestDecodeHashRejects(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0MTIzNA", "3DkXQzuysywy9AXiNHnnOfN+O9LKyCae+h1DRYq8O7g"
	const prefix = "$argon2id$v=19$m=1024,t=2,p=2$"
	tests := []struct {
		name, encoded, want string
	}{
		{"empty", "", "5 fields"},
		{"bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "5 fields"},
		{"argon2i", "$argon2i$v=19$m=1024,t=2,p=2$" + salt + "$" + key, "not argon2id"},
		{"old version", "$argon2id$v=16$m=1024,t=2,p=2$" + salt + "$" + key, "version"},
		{"no version", "$argon2id$m=1024,t=2,p=2$" + salt + "$" + key, "5 fields"},
		{"reordered params", "$argon2id$v=19$t=2,m=1024,p=2$" + salt + "$" + key, `"t=2"`},
		{"missing param", "$argon2id$v=19$m=1024,t=2$" + salt + "$" + key, "not m=M,t=T,p=P"},
		{"leading zero", "$argon2id$v=19$m=01024,t=2,p=2$" + salt + "$" + key, "positive decimal"},
		{"zero time", "$argon2id$v=19$m=1024,t=0,p=2$" + salt + "$" + key, "positive decimal"},
		{"signed", "$argon2id$v=19$m=+1024,t=2,p=2$" + salt + "$" + key, "positive decimal"},
		{"huge memory", "$argon2id$v=19$m=99999999,t=2,p=2$" + salt + "$" + key, "above"},
		{"too many lanes", "$argon2id$v=19$m=4096,t=2,p=256$" + salt + "$" + key, "above 255"},
		{"memory below 8 KiB per lane", "$argon2id$v=19$m=15,t=2,p=2$" + salt + "$" + key, "8 KiB per lane"},
		{"padded salt", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "==$" + key, "salt is not unpadded base64"},
		{"short salt", "$argon2id$v=19$m=1024,t=2,p=2$c2FsdA$" + key, "salt has 4 bytes"},
		{"short key", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$c2FsdA", "key has 4 bytes"},
		{"url base64", prefix + salt + "$3DkXQzuysywy9AXiNHnnOfN-O9LKyCae-h1DRYq8O7g", "key is not"},
		{"non-canonical base64", prefix + salt + "$3DkXQzuysywy9AXiNHnnOfN+O9LKyCae+h1DRYq8O7h", "key is not"},
		{"trailing field", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + key + "$", "5 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeHash(tt.encoded)
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("DecodeHash error %v, want ErrMalformedHash", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	ok, err := VerifyPassword("anything", "plain text password")
	if ok || !errors.Is(err, ErrMalformedHash) {
		t.Errorf("VerifyPassword on a malformed hash = %t, %v; want false, ErrMalformedHash", ok, err)
	}
}

// FuzzDecodeHash checks that DecodeHash never panics, keeps its bounds,
// and accepts only canonical encodings, which re-encode to the input.
func FuzzDecodeHash(f *testing.F) {
	f.Add(HashPassword("seed", fastParams))
	f.Add("$argon2id$v=19$m=1024,t=2,p=2$c2FsdHNhbHRzYWx0MTIzNA$3DkXQzuysywy9AXiNHnnOfN+O9LKyCae+h1DRYq8O7g")

	f.Fuzz(func(t *testing.T, encoded string) {
		h, err := DecodeHash(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("error %v does not wrap ErrMalformedHash", err)
			}
			return
		}

		p := h.Params
		if p.Time < 1 || p.Time > maxTime || p.Memory > maxMemory || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) {
			t.Errorf("%q decoded to parameters out of bounds: %+v", encoded, p)
		}
		if len(h.Salt) < minSaltLen || len(h.Salt) > maxSaltLen || len(h.Key) < minKeyLen || len(h.Key) > maxKeyLen {
			t.Errorf("%q decoded to salt of %d bytes and key of %d bytes", encoded, len(h.Salt), len(h.Key))
		}
		if h.String() != encoded {
			t.Errorf("%q re-encodes as %q", encoded, h.String())
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery", DefaultParams)
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	h, err := DecodeHash(HashPassword("correct horse battery", DefaultParams))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		h.Verify("correct horse battery")
	}
}

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams.Validate(); err != nil {
		t.Errorf("DefaultParams: %v", err)
	}
	if err := fastParams.Validate(); err != nil {
		t.Errorf("fastParams: %v", err)
	}

	changes := map[string]func(*Params){
		"zero time":          func(p *Params) { p.Time = 0 },
		"zero threads":       func(p *Params) { p.Threads = 0 },
		"memory below lanes": func(p *Params) { p.Threads = 16; p.Memory = 64 },
		"memory above 4 GiB": func(p *Params) { p.Memory = maxMemory + 1 },
		"short salt":         func(p *Params) { p.SaltLen = 4 },
		"long key":           func(p *Params) { p.KeyLen = 128 },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			p := fastParams
			change(&p)
			if err := p.Validate(); err == nil {
				t.Errorf("Validate(%+v) = nil, want an error", p)
			}
		})
	}
}

func TestNewPanicsOnInvalidParams(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with a zero key length did not panic")
		}
	}()
	p := fastParams
	p.KeyLen = 0
	New(nil, Config{Params: p})
}
