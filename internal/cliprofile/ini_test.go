package cliprofile

import (
	"strings"
	"testing"
)

func TestParseINI(t *testing.T) {
	in := "# Alibaba Cloud credentials\n\n[default]\nenable = true\ntype = access_key\naccess_key_id = foo\naccess_key_secret = b=ar \n" +
		"; another\n[ecs]\r\ntype=ecs_ram_role\r\nrole_name =\r\n"
	got, err := ParseINI([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if d := got["default"]; d["type"] != "access_key" || d["access_key_id"] != "foo" || d["access_key_secret"] != "b=ar" || d["enable"] != "true" {
		t.Errorf("default = %v", d)
	}
	if e, ok := got["ecs"]; !ok || e["type"] != "ecs_ram_role" || e["role_name"] != "" || len(e) != 2 {
		t.Errorf("ecs = %v", e)
	}
	if !LooksLikeINI([]byte(in)) || LooksLikeINI([]byte(" \n{\"current\":\"x\"}")) || LooksLikeINI(nil) {
		t.Error("LooksLikeINI")
	}
	for text, want := range map[string]string{
		"key = v\n[s]":               "line 1: a key before the first section",
		"[s]\nsecret-without-equals": "line 2: not a section header nor a key = value line",
		"[s\n":                       "line 1: a section header must end with ]",
		"[s]\na = 1\n[s]\n":          "line 3: section [s] is given twice",
	} {
		_, err := ParseINI([]byte(text))
		if err == nil || err.Error() != want {
			t.Errorf("%q: err %v, want %q", text, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the error quotes the line: %v", err)
		}
	}
}
