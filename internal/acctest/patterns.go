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
	q := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		q[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(q, `.*`))
}
