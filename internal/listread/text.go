package listread

import "strings"

// CodeList renders values as Markdown code, "`A`, `B`, `C`", for
// descriptions that list what an argument accepts.
func CodeList(values []string) string {
	return strings.Join(code(values), ", ")
}

// OrList renders values as "`A` or `B`" ("`A`, `B` or `C`").
func OrList(values []string) string {
	q := code(values)
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func code(values []string) []string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return q
}
