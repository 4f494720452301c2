package transport

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/leakcheck"
)

// maskWith returns a client knowing secrets.
func maskWith(secrets ...string) *Client {
	return New(Options{Secrets: secrets})
}

// TestMaskForms: a secret is masked in every form a server may send it
// back in, each checked by its expected text.
func TestMaskForms(t *testing.T) {
	const token = "STS.tok/en+value=with&specials<1>2\"3'4\\5"
	c := maskWith(token)
	for name, text := range map[string]string{
		"raw":               "echo " + token + " end",
		"json slash":        `{"m":"echo STS.tok\/en+value=with\u0026specials\u003c1\u003e2\"3'4\\5 end"}`,
		"json unicode":      `echo \u0053\u0054\u0053\u002Etok\u002fen\u002Bvalue\u003Dwith\u0026specials\u003c1\u003e2\u00223\u00274\u005c5 end`,
		"html numeric":      "echo STS.tok&#x2F;en&#43;value&#61;with&amp;specials&lt;1&gt;2&quot;3&#39;4&#92;5 end",
		"html bare":         "echo STS.tok&#x2Fen&#43value&#61with&ampspecials&lt1&gt2&quot3&#394&#925 end",
		"html named":        "echo STS.tok&sol;en&plus;value&equals;with&amp;specials&lt;1&gt;2&quot;3&apos;4&bsol;5 end",
		"url query":         "echo STS.tok%2Fen%2Bvalue%3Dwith%26specials%3C1%3E2%223%274%5C5 end",
		"url lower":         "echo STS.tok%2fen%2bvalue%3dwith%26specials%3c1%3e2%223%274%5c5 end",
		"url twice":         "echo STS.tok%252Fen%252Bvalue%253Dwith%2526specials%253C1%253E2%2522%2527%255C5 end",
		"html in json":      `echo STS.tok\u0026#x2F;en\u0026#43;value=with\u0026amp;specials\u0026lt;1\u0026gt;2\u0026quot;3'4\\5 end`,
		"entity in entity":  "echo STS.tok&amp;#x2F;en&amp;#43;value=with&amp;amp;specials&amp;lt;1&amp;gt;2&amp;quot;3'4\\5 end",
		"cut at 16":         "echo " + token[:16] + "...",
		"run in the middle": "echo ..." + token[7:7+16] + "... end",
	} {
		got := c.Mask(text)
		if got == text || !strings.Contains(got, Masked) {
			t.Errorf("%s: nothing masked in %s", name, text)
		}
		if leak := leakcheck.Leak(got, token); leak != "" {
			t.Errorf("%s: %s shows in %s", name, leak, got)
		}
		if !strings.HasPrefix(got, "echo ") && !strings.HasPrefix(got, `{"m":"echo `) {
			t.Errorf("%s: the text before the secret was masked too: %s", name, got)
		}
	}
	// A run shorter than SecretRun is not a run of the secret: it stays.
	if got := c.Mask("x " + token[:SecretRun-1] + " y"); got != "x "+token[:SecretRun-1]+" y" {
		t.Errorf("a run of %d bytes was masked: %s", SecretRun-1, got)
	}
	// A short secret is masked whole, not by its parts.
	short := maskWith("abc123")
	if got := short.Mask("abc12 abc123 %61bc123"); got != "abc12 *** ***" {
		t.Errorf("short secret: %q", got)
	}
}

// TestMaskBeforeCut: masking first, then cutting to a length, shows no
// part of a long token, even where the cut falls inside its escaped form.
func TestMaskBeforeCut(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	token := leakcheck.Secret(r, 1505)
	c := maskWith(token)
	for _, f := range leakcheck.Forms {
		text := `{"message":"refused: ` + f.Apply(r, token) + ` (end)"}`
		for _, limit := range []int{100, 486, apierror.ErrorBodyExcerptBytes, apierror.ErrorFieldMaxBytes} {
			got := apierror.Sanitize(c.Mask(text), limit)
			if leak := leakcheck.Leak(got, token); leak != "" {
				t.Errorf("%s, cut at %d: %s", f.Name, limit, leak)
			}
		}
	}
}

// TestMaskProperty: random secrets of 1 to 1,600 bytes, each sent back in
// every form inside random text, never show in the masked text; the text
// around them is kept.
func TestMaskProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(7, uint64(len(leakcheck.Forms))))
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := range n {
		secrets := []string{leakcheck.Secret(r, 1+r.IntN(40)), leakcheck.Secret(r, 16+r.IntN(1600))}
		c := maskWith(secrets[0])
		c.AddSecret(secrets[1])
		for _, f := range leakcheck.Forms {
			s := secrets[r.IntN(2)]
			text := leakcheck.Answer(r, f.Apply(r, s))
			got := c.Mask(text)
			for _, s := range secrets {
				if leak := leakcheck.Leak(got, s); leak != "" {
					t.Fatalf("case %d, form %s: %s\nsecret %q\ntext   %q\nmasked %q", i, f.Name, leak, s, text, got)
				}
			}
		}
	}
}

// TestMaskLongText: a text far longer than one piece of the search
// (maskChunk) is masked wherever the secret falls, at piece boundaries
// too.
func TestMaskLongText(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	token := leakcheck.Secret(r, 200)
	c := maskWith(token)
	filler := strings.Repeat("x", maskChunk-100)
	text := filler + leakcheck.FormNamed("json-unicode").Apply(r, token) + filler + token + filler
	got := c.Mask(text)
	if leak := leakcheck.Leak(got, token); leak != "" {
		t.Fatal(leak)
	}
	if want := 3*len(filler) + 2*len(Masked); len(got) != want {
		t.Fatalf("masked text is %d bytes, want %d", len(got), want)
	}
}

// FuzzMask: whatever surrounds a secret and however it is sent back, no
// run of it shows once masked.
func FuzzMask(f *testing.F) {
	f.Add("STS.token/with+slash=and&amp", "before \\u00", "%2 after", uint8(0), uint64(1))
	f.Add("0123456789abcdef0123", "&#x", ";", uint8(5), uint64(2))
	f.Add("short", "", "", uint8(9), uint64(3))
	f.Fuzz(func(t *testing.T, secret, before, after string, form uint8, seed uint64) {
		secret = strings.Map(func(r rune) rune {
			if r > 0x7e || r < 0x20 || r == '*' {
				return -1 // secrets are printable ASCII; '*' is the masked text's
			}
			return r
		}, secret)
		if secret == "" {
			return
		}
		r := rand.New(rand.NewPCG(seed, seed>>1))
		fm := leakcheck.Forms[int(form)%len(leakcheck.Forms)]
		text := before + fm.Apply(r, secret) + after
		got := maskWith(secret).Mask(text)
		if leak := leakcheck.Leak(got, secret); leak != "" {
			t.Fatalf("form %s: %s\nsecret %q\ntext   %q\nmasked %q", fm.Name, leak, secret, text, got)
		}
	})
}

// BenchmarkMask: an error answer of 8 MiB (the body limit) with escapes of
// every kind everywhere, and a plain one, against a 1,500-byte token.
func BenchmarkMask(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	token := leakcheck.Secret(r, 1500)
	c := maskWith(token)
	var hostile strings.Builder
	for hostile.Len() < DefaultMaxBodyBytes {
		hostile.WriteString(`{"m":"\u0041%41&#65;&amp;x\/y", `)
	}
	plain := strings.Repeat("a plain error message without escapes, ", DefaultMaxBodyBytes/40)
	for name, text := range map[string]string{"escaped": hostile.String(), "plain": plain} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				_ = c.Mask(text)
			}
		})
	}
}
