package signers

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// pair is one query parameter or header, in the order given; a name may
// repeat.
type pair struct{ k, v string }

// shape is one request to sign. Fields a cloud cannot express are left
// empty in its shapes (Alibaba's SDKs hold the query in a map: no repeated
// names).
type shape struct {
	name    string
	method  string
	path    string // unescaped
	query   []pair
	headers []pair // besides those the signer sets
	body    string
	token   string // security token of temporary credentials
}

// hostile are values that test every escaping rule: the signing guide's
// own example (HW-Q), characters percent-encoding keeps or changes
// ('~', '+', '*', '%', an already encoded sequence), unicode in one to
// four bytes, controls, and the separators of queries and headers.
var hostile = []string{
	"一 (&=?!#%.*)",
	"a+b c",
	"~tilde-_.",
	"100%",
	"%7E%2F%20already-encoded",
	"semi;colon,comma",
	"quote\"'`",
	"<script>alert(1)</script>",
	"🚀 four-byte",
	"tab\tnewline\n",
	"äöüß",
	"\u00a0nbsp and \u200bzero-width",
	"",
	"=leading-equals",
	"&amp;",
	"a/b/c",
	"[bracket]{brace}",
	"\\backslash",
	"$@:|^!",
	"*star*",
	"  spaces around  ",
	"\x7fdel",
}

// headerSafe are values a header can carry (no control characters).
var headerSafe = []string{
	"plain",
	"  padded on both sides  ",
	"inner   spaces",
	"a,b,c",
	"ünïcödé",
	"=;:/?@&",
	"\"quoted\"",
	"",
}

// hwDate is the X-Sdk-Date of every Huawei shape (the SDK signs with a
// date from that header when it is set).
const hwDate = "20251201T080910Z"

// huaweiShapes are at least 40 named requests of Huawei's APIs and their
// neighbours, then the random sweep.
func huaweiShapes() []shape {
	const project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	records := "/v2/" + project + "/script-execution-records"
	events := "/v2/" + project + "/screen-records/sr-0001/os-operations"
	audit := "/v1/" + project + "/workspaces/ws-0001/soc/playbooks/instances/auditlogs"
	pid := pair{"X-Project-Id", project}
	json := pair{"Content-Type", "application/json;charset=UTF-8"}
	ua := pair{"User-Agent", "huaweicloud-usdk-go/3.0"}
	out := []shape{
		{name: "HW-1 shape", method: "GET", path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", query: []pair{{"limit", "2"}, {"marker", "13551d6b-755d-4757-b956-536f674975c0"}}},
		{name: "HW-2 shape", method: "GET", path: "/path", query: []pair{{"limit", "1"}}},
		{name: "HW-3 shape", method: "POST", path: "/path", query: []pair{{"key", "value"}}, body: "{\"Name\":\"test\",\"Id\":1}\n"},
		{name: "HW-Q query", method: "GET", path: "/v1/q", query: []pair{{"limit", "1"}, {"enable", "true"}, {"test", "一 (&=?!#%.*)"}, {"path", "/tmp/123"}, {"multi", "1"}, {"multi", "2"}, {"multi", "3"}}},
		{name: "no query", method: "GET", path: records},
		{name: "root path", method: "GET", path: "/"},
		{name: "empty path", method: "GET", path: ""},
		{name: "trailing slash", method: "GET", path: records + "/"},
		{name: "double slash", method: "GET", path: "/v2//" + project + "/x"},
		{name: "script records, first page", method: "GET", path: records, query: []pair{{"offset", "0"}, {"limit", "100"}}, headers: []pair{pid}},
		{name: "script records, every filter", method: "GET", path: records, headers: []pair{pid}, query: []pair{
			{"offset", "100"}, {"limit", "100"}, {"resource_id", "desktop-0002"}, {"resource_id", "desktop-0001"},
			{"resource_group_id", "rg-02"}, {"script_id", "script-02"}, {"script_id", "script-01"}, {"script_name", "harden desktop"},
			{"status", "FAILED"}, {"is_first_order", "true"}, {"script_task_id", "task-00001-01"}, {"task_type", "SCRIPT"},
			{"show_history", "false"}, {"execute_time_start", "2026-11-17T12:00:00Z"}, {"execute_time_end", "2026-11-20T12:00:00+08:00"}}},
		{name: "repeated key, values out of order", method: "GET", path: records, query: []pair{{"script_id", "b"}, {"script_id", "a"}, {"script_id", "c"}}},
		{name: "repeated key, same value twice", method: "GET", path: records, query: []pair{{"resource_id", "x"}, {"resource_id", "x"}}},
		{name: "repeated key with an empty value", method: "GET", path: records, query: []pair{{"resource_id", "x"}, {"resource_id", ""}}},
		{name: "empty values", method: "GET", path: records, query: []pair{{"status", ""}, {"limit", "10"}, {"script_name", ""}}},
		{name: "empty key", method: "GET", path: records, query: []pair{{"", "v"}, {"limit", "1"}}},
		{name: "unicode keys", method: "GET", path: records, query: []pair{{"名前", "値"}, {"ключ", "значение"}, {"a~", "1"}}},
		{name: "keys sorting across bytes", method: "GET", path: records, query: []pair{{"a_b", "1"}, {"a-b", "2"}, {"a.b", "3"}, {"aB", "4"}, {"a~b", "5"}, {"A", "6"}}},
		{name: "reserved characters in values", method: "GET", path: records, query: []pair{{"script_name", "a&b=c?d#e"}, {"resource_id", "x/y;z,w"}}},
		{name: "plus and space", method: "GET", path: records, query: []pair{{"script_name", "a+b c"}}},
		{name: "tilde and star", method: "GET", path: records, query: []pair{{"script_name", "~*~"}}},
		{name: "percent sequences", method: "GET", path: records, query: []pair{{"script_name", "%7E%2F%20%zz%"}}},
		{name: "unicode in path", method: "GET", path: "/v2/" + project + "/screen-records/录屏-ä 1/os-operations", query: []pair{{"limit", "100"}}},
		{name: "reserved characters in path", method: "GET", path: "/v2/" + project + "/screen-records/a;b=c,d@e:f+g$h!i*j'k(l)/os-operations"},
		{name: "percent in path", method: "GET", path: "/v2/" + project + "/screen-records/100%25%/os-operations"},
		{name: "desktop events, filters", method: "GET", path: events, headers: []pair{pid}, query: []pair{{"offset", "0"}, {"limit", "1000"}, {"event_type", "FILE"}, {"event_id", "FILE_CREATE"}, {"event_level", "INFO"}, {"event_data", "C:\\Users\\雪 & co"}}},
		{name: "audit logs, empty body", method: "POST", path: audit, query: []pair{{"offset", "0"}, {"limit", "50"}}, headers: []pair{pid}},
		{name: "audit logs, JSON body", method: "POST", path: audit, query: []pair{{"offset", "50"}, {"limit", "50"}, {"sort_key", "start_time"}, {"sort_dir", "desc"}}, headers: []pair{pid},
			body: `{"instance_type":"PLAYBOOK","status":"FAILED","start_time":"2026-11-17T12:00:00Z","error_msg":"\"quoted\" & <tag>"}`},
		{name: "audit logs, JSON body with content type", method: "POST", path: audit, query: []pair{{"offset", "0"}, {"limit", "10"}}, headers: []pair{pid, json}, body: `{"input":"一 (&=?!#%.*)"}`},
		{name: "JSON body with a trailing newline", method: "POST", path: audit, headers: []pair{json}, body: "{\"a\":1}\n"},
		{name: "JSON body, unicode escapes", method: "POST", path: audit, body: `{"s":"\u00e4\ud83d\ude80"}`},
		{name: "binary-looking body", method: "PUT", path: "/v1/x", body: "\x00\x01\xff\xfe"},
		{name: "DELETE without body", method: "DELETE", path: "/v1/x/y"},
		{name: "PATCH with body", method: "PATCH", path: "/v1/x", body: `[]`},
		{name: "temporary credentials", method: "GET", path: records, query: []pair{{"limit", "1"}}, headers: []pair{pid}, token: "hw-sts-token/with+reserved=chars"},
		{name: "temporary credentials, POST", method: "POST", path: audit, query: []pair{{"offset", "0"}, {"limit", "50"}}, headers: []pair{pid, json}, body: `{}`, token: "tok"},
		{name: "project lookup", method: "GET", path: "/v3/projects", query: []pair{{"name", "cn-north-4"}}},
		{name: "agency keys", method: "POST", path: "/v3.0/OS-CREDENTIAL/securitytokens", headers: []pair{json},
			body: `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"opsaudit-auditor","domain_name":"opsaudit-domain","duration_seconds":3600}}}}`},
		{name: "STS v5 assume", method: "POST", path: "/v5/agencies/assume", headers: []pair{json}, token: "t",
			body: `{"agency_urn":"iam::0a1b:agency:opsaudit-auditor","agency_session_name":"s","duration_seconds":900}`},
		{name: "SDK's own headers", method: "GET", path: records, query: []pair{{"limit", "10"}}, headers: []pair{pid, ua}},
		{name: "padded header values", method: "GET", path: records, headers: []pair{{"X-Project-Id", "  " + project + "  "}}},
		{name: "extra signed header", method: "GET", path: records, headers: []pair{{"X-Custom", "ünïcödé value"}, {"X-Empty", ""}}},
		{name: "header with underscore", method: "GET", path: records, headers: []pair{{"X_Under", "x"}}},
		{name: "long query", method: "GET", path: records, query: longQuery(60)},
		{name: "every hostile value", method: "GET", path: records, query: allHostile("script_name")},
		{name: "every hostile value as keys", method: "GET", path: records, query: hostileKeys()},
		{name: "every hostile value in the body", method: "POST", path: audit, body: strings.Join(hostile, "\n")},
	}
	return append(out, sweep(0x48570001, 200, true)...)
}

// aliShapes are at least 40 named RPC and ROA requests of Alibaba's APIs
// and their neighbours, then the random sweep. Parameter names are the
// characters the APIs use (letters, digits, '.', '_', '-'):
// darabonba-openapi writes names into the canonical query unencoded
// (utils.getCanonicalQueryString), contrary to the documented rule, so
// for names needing encoding the SDK itself is no referee.
func aliShapes() []shape {
	form := pair{"Content-Type", "application/x-www-form-urlencoded"}
	json := pair{"Content-Type", "application/json; charset=utf-8"}
	action := func(a, v string) []pair { return []pair{{"x-acs-action", a}, {"x-acs-version", v}} }
	oos := action("ListExecutionLogs", "2019-06-01")
	sts := action("AssumeRole", "2015-04-01")
	out := []shape{
		{name: "ACS3-1 shape", method: "POST", path: "/", query: []pair{{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}, {"RegionId", "cn-shanghai"}}, headers: action("RunInstances", "2014-05-26")},
		{name: "ACS3-2 query", method: "GET", path: "/", query: []pair{{"test", "ok"}, {"empty", ""}}},
		{name: "no query", method: "POST", path: "/", headers: oos},
		{name: "OOS first page", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", "exec-0001"}, {"MaxResults", "100"}, {"RegionId", "cn-hangzhou"}}},
		{name: "OOS every filter", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", "exec-0001"}, {"TaskExecutionId", "exec-0001.t0003"}, {"LogType", "Output"}, {"MaxResults", "50"}, {"RegionId", "cn-hangzhou"}}},
		{name: "OOS next token", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", "exec-0001"}, {"NextToken", "eyJvIjo1MH0=.a+b/c=="}, {"MaxResults", "50"}}},
		{name: "OOS hostile execution id", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", "exec-0001\"'<>&;|`$(x)"}}},
		{name: "OOS unicode log type", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", "e"}, {"LogType", "日志 ü"}}},
		{name: "GET method", method: "GET", path: "/", headers: oos, query: []pair{{"ExecutionId", "exec-0001"}}},
		{name: "empty values", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", ""}, {"LogType", ""}}},
		{name: "flattened list names", method: "POST", path: "/", query: []pair{{"Tag.1.Key", "k 1"}, {"Tag.1.Value", "v/1"}, {"Tag.2.Key", "k2"}, {"Tag.10.Key", "k10"}}},
		{name: "names sorting across bytes", method: "POST", path: "/", query: []pair{{"a_b", "1"}, {"a-b", "2"}, {"a.b", "3"}, {"aB", "4"}, {"A", "6"}, {"Z", "7"}, {"a", "8"}}},
		{name: "reserved characters", method: "POST", path: "/", query: []pair{{"V", "a&b=c?d#e/f;g,h"}}},
		{name: "plus and space", method: "POST", path: "/", query: []pair{{"V", "a+b c"}}},
		{name: "tilde and star", method: "POST", path: "/", query: []pair{{"V", "~*~"}}},
		{name: "percent sequences", method: "POST", path: "/", query: []pair{{"V", "%7E%2F%20%zz%"}}},
		{name: "unicode", method: "POST", path: "/", query: []pair{{"V", "一 (&=?!#%.*)"}, {"W", "🚀"}}},
		{name: "controls", method: "POST", path: "/", query: []pair{{"V", "tab\tnewline\n\x7f"}}},
		{name: "every hostile value", method: "POST", path: "/", query: uniqueHostile("P")},
		{name: "form body", method: "POST", path: "/", headers: append(action("AssumeRole", "2015-04-01"), form), body: "RoleArn=acs%3Aram%3A%3A1%3Arole%2Fx&RoleSessionName=s"},
		{name: "JSON body", method: "POST", path: "/", headers: append(oos, json), body: `{"ExecutionId":"exec-0001","LogType":"一"}`},
		{name: "JSON body with newline", method: "POST", path: "/", headers: append(oos, json), body: "{}\n"},
		{name: "binary body", method: "POST", path: "/", headers: []pair{{"Content-Type", "application/octet-stream"}}, body: "\x00\x01\xff"},
		{name: "temporary credentials", method: "POST", path: "/", headers: oos, query: []pair{{"ExecutionId", "exec-0001"}}, token: "CAIS+sts/token=="},
		{name: "temporary credentials, STS", method: "POST", path: "/", headers: sts, query: []pair{{"RoleArn", "acs:ram::1234567890123456:role/opsaudit-auditor"}, {"RoleSessionName", "terraform"}}, token: "t"},
		{name: "STS OIDC", method: "POST", path: "/", headers: action("AssumeRoleWithOIDC", "2015-04-01"), query: []pair{{"OIDCProviderArn", "acs:ram::1:oidc-provider/ci"}, {"OIDCToken", "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJjaSJ9.sig-_"}}},
		{name: "unsigned SDK headers", method: "POST", path: "/", headers: append(oos, pair{"user-agent", "AlibabaCloud (linux; amd64) Golang/1.26"}, pair{"accept", "application/json"})},
		{name: "extra x-acs header", method: "POST", path: "/", headers: append(oos, pair{"x-acs-custom", "ünïcödé"})},
		{name: "padded x-acs value", method: "POST", path: "/", headers: append(oos, pair{"x-acs-custom", "  padded  "})},
		{name: "empty x-acs value", method: "POST", path: "/", headers: append(oos, pair{"x-acs-empty", ""})},
		{name: "x-acs header, upper case name", method: "POST", path: "/", headers: append(oos, pair{"X-ACS-UPPER", "v"})},
		{name: "x-acs value with separators", method: "POST", path: "/", headers: append(oos, pair{"x-acs-sep", "a,b;c=d"})},
		{name: "content type alone", method: "POST", path: "/", headers: []pair{json}},
		{name: "ROA path", method: "GET", path: "/api/v1/executions/exec-0001/logs", query: []pair{{"MaxResults", "10"}}},
		{name: "ROA path with unicode", method: "GET", path: "/api/v1/名前/ä b"},
		{name: "ROA path with reserved characters", method: "PUT", path: "/api/v1/a;b=c,d@e:f$h!i'k(l)"},
		{name: "ROA trailing slash", method: "GET", path: "/api/v1/"},
		{name: "DELETE", method: "DELETE", path: "/api/v1/x"},
		{name: "long query", method: "POST", path: "/", query: longQuery(60)},
		{name: "every header value", method: "POST", path: "/", headers: headerValues()},
		{name: "region and endpoint", method: "POST", path: "/", headers: oos, query: []pair{{"RegionId", "cn-hangzhou"}, {"Endpoint", "oos.cn-hangzhou.aliyuncs.com"}}},
		{name: "values that look like parameters", method: "POST", path: "/", query: []pair{{"A", "B=C&D=E"}, {"D", "x"}}},
	}
	return append(out, sweep(0xA11C0001, 200, false)...)
}

// rpcShapes are the RPC (SignatureVersion 1.0) parameter sets: the query
// of each Alibaba shape with the signature parameters added, as the SDKs
// send them.
func rpcShapes() []shape {
	var out []shape
	for _, s := range aliShapes() {
		params := []pair{{"AccessKeyId", "OPSAUDITDEMOALIAK001"}, {"SignatureMethod", "HMAC-SHA1"}, {"SignatureVersion", "1.0"},
			{"SignatureNonce", fmt.Sprintf("nonce-%d", len(out))}, {"Timestamp", "2025-12-01T08:09:10Z"}, {"Format", "JSON"}}
		for _, h := range s.headers {
			switch strings.ToLower(h.k) {
			case "x-acs-action":
				params = append(params, pair{"Action", h.v})
			case "x-acs-version":
				params = append(params, pair{"Version", h.v})
			}
		}
		if s.token != "" {
			params = append(params, pair{"SecurityToken", s.token})
		}
		s.query = append(params, s.query...)
		out = append(out, s)
	}
	return out
}

func longQuery(n int) []pair {
	out := make([]pair, n)
	for i := range out {
		out[i] = pair{fmt.Sprintf("k%03d", n-i), hostile[i%len(hostile)]}
	}
	return out
}

func allHostile(key string) []pair {
	out := make([]pair, len(hostile))
	for i, v := range hostile {
		out[i] = pair{key, v}
	}
	return out
}

func uniqueHostile(prefix string) []pair {
	out := make([]pair, len(hostile))
	for i, v := range hostile {
		out[i] = pair{fmt.Sprintf("%s%02d", prefix, i), v}
	}
	return out
}

func hostileKeys() []pair {
	out := make([]pair, 0, len(hostile))
	for i, v := range hostile {
		if v == "" {
			continue
		}
		out = append(out, pair{v, fmt.Sprint(i)})
	}
	return out
}

func headerValues() []pair {
	out := make([]pair, len(headerSafe))
	for i, v := range headerSafe {
		out[i] = pair{fmt.Sprintf("x-acs-h%d", i), v}
	}
	return out
}

// sweep draws n random shapes from a fixed seed: random names and values
// from the hostile alphabets, paths, bodies and tokens. repeats allows a
// query name to be given more than once (Huawei).
func sweep(seed uint64, n int, repeats bool) []shape {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const nameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
	str := func(most int) string {
		var b strings.Builder
		for range r.IntN(most + 1) {
			switch r.IntN(4) {
			case 0:
				h := hostile[r.IntN(len(hostile))]
				b.WriteString(h)
			default:
				b.WriteByte(byte(0x20 + r.IntN(0x5f)))
			}
		}
		return b.String()
	}
	name := func() string {
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = nameChars[r.IntN(len(nameChars))]
		}
		return string(b)
	}
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	out := make([]shape, n)
	for i := range out {
		s := shape{name: fmt.Sprintf("sweep %d", i), method: methods[r.IntN(len(methods))]}
		segs := make([]string, r.IntN(5))
		for j := range segs {
			segs[j] = strings.ReplaceAll(str(3), "/", "")
			if segs[j] == "" {
				segs[j] = name()
			}
		}
		s.path = "/" + strings.Join(segs, "/")
		if !repeats {
			s.path = "/"
		}
		seen := map[string]bool{}
		for range r.IntN(8) {
			k := name()
			if repeats && len(s.query) > 0 && r.IntN(3) == 0 {
				k = s.query[r.IntN(len(s.query))].k
			} else if seen[k] {
				continue
			}
			seen[k] = true
			s.query = append(s.query, pair{k, str(4)})
		}
		if r.IntN(2) == 0 {
			s.body = str(6)
		}
		if r.IntN(3) == 0 {
			s.token = strings.ReplaceAll(str(3), "\n", "")
			if s.token == "" {
				s.token = "tok"
			}
			s.token = strings.Map(func(c rune) rune {
				if c < 0x20 || c == 0x7f {
					return -1
				}
				return c
			}, s.token)
			if strings.TrimSpace(s.token) != s.token || s.token == "" {
				s.token = "tok-" + fmt.Sprint(i)
			}
		}
		out[i] = s
	}
	return out
}
