package cliprofile

import (
	"bytes"
	"fmt"
	"strings"
)

// INI is an INI file: sections by name, each a map of keys to values.
// Alibaba Cloud's SDKs keep credentials in one
// (~/.alibabacloud/credentials, https://github.com/aliyun/credentials-go#credential-file):
//
//	[default]
//	type = access_key
//	access_key_id = ...
type INI map[string]map[string]string

// LooksLikeINI reports whether b starts, past blank lines and comments,
// with a section header: an INI file rather than JSON.
func LooksLikeINI(b []byte) bool {
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		return line[0] == '['
	}
	return false
}

// ParseINI parses b: "[section]" headers, "key = value" lines (white space
// around both trimmed), blank lines and lines starting with "#" or ";"
// ignored. A key outside a section, a line that is neither, or a section
// given twice is an error naming the line number (never the line: it may
// hold a secret).
func ParseINI(b []byte) (INI, error) {
	out := INI{}
	var cur map[string]string
	for i, line := range bytes.Split(b, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		switch {
		case s == "" || s[0] == '#' || s[0] == ';':
		case s[0] == '[':
			if !strings.HasSuffix(s, "]") {
				return nil, fmt.Errorf("line %d: a section header must end with ]", i+1)
			}
			name := strings.TrimSpace(s[1 : len(s)-1])
			if _, dup := out[name]; dup {
				return nil, fmt.Errorf("line %d: section [%s] is given twice", i+1, name)
			}
			cur = map[string]string{}
			out[name] = cur
		default:
			k, v, ok := strings.Cut(s, "=")
			if !ok {
				return nil, fmt.Errorf("line %d: not a section header nor a key = value line", i+1)
			}
			if cur == nil {
				return nil, fmt.Errorf("line %d: a key before the first section", i+1)
			}
			cur[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out, nil
}
