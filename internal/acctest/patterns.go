package acctest

import (
	"regexp"
	"strings"
)

// DiagnosticPattern matches Terraform output holding each of parts, in
// order, anything between them. Terraform wraps diagnostic text at spaces
// and starts each line with a box-drawing "│", so every run of spaces
// inside a part matches any run of whitespace and "│"; each part is
// otherwise literal (regexp metacharacters are quoted).
//
//	acctest.DiagnosticPattern("Unable to list OOS execution logs", "HTTP status: 404")
func DiagnosticPattern(parts ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.Join(quoteParts(parts), `.*`))
}

// DiagnosticPatternWithout is DiagnosticPattern over the whole output,
// which moreover must not contain r anywhere (a rune only a secret holds:
// no part of the secret longer than one character can then appear).
func DiagnosticPatternWithout(r rune, parts ...string) *regexp.Regexp {
	not := "[^" + regexp.QuoteMeta(string(r)) + "]*"
	return regexp.MustCompile(`(?s)\A` + not + strings.Join(quoteParts(parts), not) + not + `\z`)
}

// quoteParts are parts as patterns: literal, each run of spaces matching
// any run of whitespace and "│".
func quoteParts(parts []string) []string {
	q := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		q[i] = strings.Join(words, `[\s│]+`)
	}
	return q
}
