package alicloud

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain/chaintest"
)

// TestSTSHostRule pins the STS endpoint rule: the profile's own endpoint
// or region first, then endpoints.sts, ALIBABA_CLOUD_STS_REGION (with
// ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED), the provider's region, and the
// global endpoint, never an error for a missing region (credentials-go,
// providers/ram_role_arn.go; aliyun-cli config/profile.go).
func TestSTSHostRule(t *testing.T) {
	for _, tc := range []struct {
		name      string
		target    stsTarget
		endpoints map[string]string
		region    string
		env       map[string]string
		want      string
	}{
		{"nothing: the global endpoint", stsTarget{}, nil, "", nil, "https://sts.aliyuncs.com"},
		{"the provider's region", stsTarget{}, nil, "cn-shanghai", nil, "https://sts.cn-shanghai.aliyuncs.com"},
		{"ALIBABA_CLOUD_STS_REGION wins over the region", stsTarget{}, nil, "cn-shanghai", map[string]string{"ALIBABA_CLOUD_STS_REGION": "cn-beijing"}, "https://sts.cn-beijing.aliyuncs.com"},
		{"with the VPC endpoint", stsTarget{}, nil, "", map[string]string{"ALIBABA_CLOUD_STS_REGION": "cn-beijing", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "true"}, "https://sts-vpc.cn-beijing.aliyuncs.com"},
		{"endpoints.sts wins over every region", stsTarget{}, map[string]string{"sts": "https://sts.example.test/"}, "cn-shanghai", map[string]string{"ALIBABA_CLOUD_STS_REGION": "cn-beijing"}, "https://sts.example.test"},
		{"the profile's sts_region wins over endpoints.sts' absence and the variables", stsTarget{region: "ap-southeast-1"}, nil, "cn-shanghai", map[string]string{"ALIBABA_CLOUD_STS_REGION": "cn-beijing"}, "https://sts.ap-southeast-1.aliyuncs.com"},
		{"the profile's enable_vpc", stsTarget{region: "ap-southeast-1", vpc: true}, nil, "", nil, "https://sts-vpc.ap-southeast-1.aliyuncs.com"},
		{"the profile's sts_endpoint, a host", stsTarget{endpoint: "sts.cn-zhangjiakou.aliyuncs.com", region: "x"}, map[string]string{"sts": "https://sts.example.test"}, "", nil, "https://sts.cn-zhangjiakou.aliyuncs.com"},
		{"the profile's sts_endpoint, a URL", stsTarget{endpoint: "http://127.0.0.1:9/"}, nil, "", nil, "http://127.0.0.1:9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Settings.Resolve(credchain.Config{}, func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewClient(Config{Region: tc.region, Endpoints: tc.endpoints, Credentials: r}, nil).stsEndpoint(tc.target)
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := NewClient(Config{}, nil).stsEndpoint(stsTarget{region: "evil.test/#"}); err == nil {
		t.Error("a hostile sts_region made a host")
	}
}

// TestRequestShapes: STS requests are what credentials-go sends:
// AssumeRoleWithOIDC unsigned, with Action, Version, Format and Timestamp
// in the query and its parameters (the token among them) in a form body;
// AssumeRole with its ExternalId, Policy, session name and duration.
func TestRequestShapes(t *testing.T) {
	f := newFakeSTS(t)
	c := f.client(chaintest.Config(nil, map[string][]map[string]string{
		credchain.BlockOIDC:       {{"oidc_provider_arn": "acs:ram::1:oidc-provider/ci", "role_arn": "acs:ram::1:role/ci", "oidc_token": "the-oidc-token", "session_expiration": "1800"}},
		credchain.BlockAssumeRole: {{"role_arn": "acs:ram::2:role/audit", "external_id": "ext-42", "policy": `{"Version":"1"}`, "session_name": "pipeline"}},
	}), nil)
	if err := f.read(c); err != nil {
		t.Fatal(err)
	}
	o := f.first("AssumeRoleWithOIDC")
	if o.signer != "" || o.header.Get("Authorization") != "" || o.header.Get("x-acs-action") != "" {
		t.Errorf("AssumeRoleWithOIDC headers %v: want unsigned, no x-acs-* headers", o.header)
	}
	if o.query.Get("Version") != "2015-04-01" || o.query.Get("Format") != "JSON" || o.query.Get("Timestamp") != "2026-12-01T12:00:00Z" || len(o.query) != 4 {
		t.Errorf("AssumeRoleWithOIDC query %v", o.query)
	}
	if o.form.Get("OIDCToken") != "the-oidc-token" || o.form.Get("OIDCProviderArn") != "acs:ram::1:oidc-provider/ci" ||
		o.form.Get("RoleArn") != "acs:ram::1:role/ci" || o.form.Get("RoleSessionName") != "terraform" || o.form.Get("DurationSeconds") != "1800" || len(o.form) != 5 {
		t.Errorf("AssumeRoleWithOIDC form %v", o.form)
	}
	if o.header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", o.header.Get("Content-Type"))
	}
	a := f.first("AssumeRole")
	if a.form.Get("ExternalId") != "ext-42" || a.form.Get("Policy") != `{"Version":"1"}` || a.form.Get("RoleSessionName") != "pipeline" ||
		a.form.Get("RoleArn") != "acs:ram::2:role/audit" || a.form.Get("DurationSeconds") != "3600" || len(a.form) != 5 || a.signer != "STS.AK1" {
		t.Errorf("AssumeRole form %v signed by %q", a.form, a.signer)
	}
	q := a.query
	if q.Get("Action") != "AssumeRole" || q.Get("Version") != "2015-04-01" || q.Get("Format") != "JSON" || q.Get("SignatureMethod") != "HMAC-SHA1" ||
		q.Get("SignatureVersion") != "1.0" || q.Get("SignatureNonce") == "" || q.Get("Timestamp") != "2026-12-01T12:00:00Z" ||
		q.Get("SecurityToken") != "sts-token-1" || len(q) != 10 {
		t.Errorf("AssumeRole query %v: want credentials-go's, with the security token of the credentials below", q)
	}
	if a.header.Get("Authorization") != "" || a.header.Get("x-acs-action") != "" || a.header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("AssumeRole headers %v", a.header)
	}
}

// TestSTSExpiryIsTheAnswers: the expiry of STS credentials is the one
// the answer gives, to the second (a later one would keep credentials
// past their end; an earlier one refresh them for nothing).
func TestSTSExpiryIsTheAnswers(t *testing.T) {
	cred, exp, err := decodeSTS("AssumeRole", []byte(`{"Credentials":{"AccessKeyId":"STS.A","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-12-01T13:00:00Z"}}`))
	if err != nil || cred.AccessKeyID != "STS.A" {
		t.Fatal(cred, err)
	}
	if want := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC); !exp.Equal(want) {
		t.Errorf("expiry %s, want %s", exp, want)
	}
	cred, exp, err = decodeMetadata("GetRoleCredentials", []byte(`{"Code":"Success","AccessKeyId":"STS.B","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-12-01T18:00:00Z"}`))
	if err != nil || cred.AccessKeyID != "STS.B" || !exp.Equal(time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("metadata: %v, %s, %v", cred, exp, err)
	}
}

// TestTemporaryCredentialsMustExpire: a missing, zero or malformed
// Expiration is refused for every temporary source, naming the source.
func TestTemporaryCredentialsMustExpire(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"assume_role_with_oidc": {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r", "ALIBABA_CLOUD_OIDC_TOKEN": "t"},
		"ecs_role_name":         {"ALIBABA_CLOUD_ECS_METADATA": "r"},
	} {
		for expiry, want := range map[string]string{"0001-01-01T00:00:00Z": "is the zero time", "": "the answer has no Expiration", "later": "is not an RFC 3339 time"} {
			f := newFakeSTS(t)
			f.expiry = &expiry
			err := f.read(f.client(credchain.Config{}, env))
			var se *credchain.SourceError
			if !errors.As(err, &se) || se.Source != name || !strings.Contains(err.Error(), want) {
				t.Errorf("%s, Expiration %q: err %v, want %q from %s", name, expiry, err, want, name)
			}
		}
	}
}

// TestInstanceRole: the role is discovered when not named; IMDSv1 (no
// token) only when the token endpoint does not answer and it is not
// disabled; any other refusal of the token is an error.
func TestInstanceRole(t *testing.T) {
	profile := writeFile(t, `{"current":"ecs","profiles":[{"name":"ecs","mode":"ecsramrole"}]}`)
	for _, tc := range []struct {
		name        string
		tokenStatus int
		env         map[string]string
		want        []string
		wantErr     string
	}{
		{"an EcsRamRole profile without a role name discovers it", 0, map[string]string{"ALIBABA_CLOUD_CREDENTIALS_FILE": profile},
			[]string{"PUT /latest/api/token -", "GET /latest/meta-data/ram/security-credentials/ -",
				"GET /latest/meta-data/ram/security-credentials/discovered-role -", "ListExecutionLogs STS.AK1"}, ""},
		{"IMDSv1 when the token endpoint is unknown", http.StatusNotFound, map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "r"},
			[]string{"PUT /latest/api/token -", "GET /latest/meta-data/ram/security-credentials/r -", "ListExecutionLogs STS.AK1"}, ""},
		{"not when IMDSv1 is disabled", http.StatusNotFound, map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "r", "ALIBABA_CLOUD_IMDSV1_DISABLED": "true"},
			nil, "IMDSv1 is not tried: the environment variable ALIBABA_CLOUD_IMDSV1_DISABLED is true"},
		{"a refused token is an error", http.StatusForbidden, map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "r"}, nil, "GetMetadataToken: HTTP 403"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeSTS(t)
			f.tokenStatus = tc.tokenStatus
			err := f.read(f.client(credchain.Config{}, tc.env))
			if chaintest.Failed(t, err, tc.wantErr) {
				return
			}
			if got := f.seen(); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, r := range f.reqs[1:] {
				if tok := r.header.Get("X-Aliyun-Ecs-Metadata-Token"); (tc.tokenStatus == 0) != (tok == "imds-session-token") && r.path != "/" {
					t.Errorf("%s sent token %q", r.path, tok)
				}
			}
		})
	}
}

func writeFile(t *testing.T, content string) string {
	return clienttest.WriteFile(t, "config", content)
}
