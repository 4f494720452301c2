package alisdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// signing is how darabonba-openapi signs: ACS3-HMAC-SHA256 by default
// (CallApi's DoRequest), the RPC signature of SignatureVersion 1.0 when
// the Config's SignatureAlgorithm is "v2" (DoRPCRequest).
type signing string

const (
	acs3  signing = "ACS3-HMAC-SHA256"
	rpcV1 signing = "SignatureVersion 1.0"
)

var signings = []signing{acs3, rpcV1}

// clientConfig is a darabonba Config for the emulator over plain HTTP,
// with the test's HTTP client (loopback only, exchanges recorded).
func clientConfig(s signing) *openapiutil.Config {
	cfg := &openapiutil.Config{
		Endpoint:   tea.String(env.Host),
		Protocol:   tea.String("http"),
		RegionId:   tea.String(emulator.DemoRegionAli),
		HttpClient: env.DaraClient(),
	}
	if s == rpcV1 {
		cfg.SignatureAlgorithm = tea.String("v2")
	}
	return cfg
}

// akClient is a darabonba client with the emulator's demo keys, or with
// cred when it is not nil.
func akClient(t *testing.T, s signing, cred credentials.Credential) *openapi.Client {
	t.Helper()
	cfg := clientConfig(s)
	if cred != nil {
		cfg.Credential = cred
	} else {
		cfg.AccessKeyId = tea.String(emulator.DemoAliAccessKey)
		cfg.AccessKeySecret = tea.String(emulator.DemoAliSecretKey)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rpc are the parameters of an RPC action, as the generated SDKs give
// them to CallApi.
func rpc(action, version, authType string) *openapiutil.Params {
	return &openapiutil.Params{
		Action: tea.String(action), Version: tea.String(version), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String(authType),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
}

// lastAnswer is the body of the last exchange of a darabonba client.
func lastAnswer(t *testing.T) []byte {
	t.Helper()
	ex := env.Exchanges()
	if len(ex) == 0 {
		t.Fatal("no exchange recorded: the SDK did not use the test client")
	}
	return ex[len(ex)-1].Body
}

// checkSigning: the request the emulator got is signed the way asked.
func checkSigning(t *testing.T, r emulator.RecordedRequest, s signing) {
	t.Helper()
	auth := r.Header.Get("Authorization")
	v1 := strings.Contains(r.RawQuery, "Signature=") && strings.Contains(r.RawQuery, "SignatureVersion=1.0")
	switch {
	case s == acs3 && !strings.HasPrefix(auth, "ACS3-HMAC-SHA256 "):
		t.Errorf("not signed with ACS3: Authorization %q", auth)
	case s == rpcV1 && (auth != "" || !v1):
		t.Errorf("not signed with SignatureVersion 1.0: Authorization %q, query %s", auth, r.RawQuery)
	}
}

func sdkErrorCode(t *testing.T, err error) (string, int) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not the SDK's error", err, err)
	}
	return tea.StringValue(se.Code), tea.IntValue(se.StatusCode)
}

type oosFilter struct{ task, logType string }

func TestListExecutionLogs(t *testing.T) {
	data := env.Server.Data()
	exec := emulator.ExecutionID(1)
	cases := map[string]oosFilter{
		"no filter":       {},
		"one task":        {task: exec + ".t0002"},
		"hostile task":    {task: exec + ".t0003 " + emulator.HostileText},
		"output logs":     {logType: "Output"},
		"hostile type":    {logType: emulator.HostileLogType},
		"task and type":   {task: exec + ".t0001", logType: "Task"},
		"nothing matches": {logType: "NoSuchType"},
	}
	for _, s := range signings {
		client := akClient(t, s, nil)
		for name, f := range cases {
			for _, maxResults := range []int{100, 7} {
				t.Run(fmt.Sprintf("%s, %s, MaxResults %d", s, name, maxResults), func(t *testing.T) {
					var want []any
					for _, l := range data.Executions()[exec] {
						if (f.task == "" || l.TaskExecutionID == f.task) && (f.logType == "" || l.LogType == f.logType) {
							want = append(want, l)
						}
					}
					if name != "nothing matches" && len(want) == 0 {
						t.Fatal("the filter matches nothing in the data")
					}
					if name == "hostile task" && !strings.Contains(fmt.Sprint(want), emulator.HostileText) {
						t.Fatal("the hostile task's logs do not carry the hostile text")
					}
					var got []any
					token := ""
					for pages := 0; ; pages++ {
						if pages > len(want)/maxResults+1 {
							t.Fatal("more pages than the data needs")
						}
						q := map[string]interface{}{"ExecutionId": exec, "MaxResults": maxResults, "RegionId": emulator.DemoRegionAli}
						if f.task != "" {
							q["TaskExecutionId"] = f.task
						}
						if f.logType != "" {
							q["LogType"] = f.logType
						}
						if token != "" {
							q["NextToken"] = token
						}
						res, err := client.CallApi(rpc("ListExecutionLogs", "2019-06-01", "AK"),
							&openapiutil.OpenApiRequest{Query: openapiutil.Query(q)}, &dara.RuntimeOptions{})
						if err != nil {
							t.Fatalf("page %d: %v", pages, err)
						}
						raw := lastAnswer(t)
						checkSigning(t, env.Last(t, emulator.APIExecutionLogs), s)
						body, ok := res["body"].(map[string]interface{})
						if !ok {
							t.Fatalf("body %T", res["body"])
						}
						if err := emutest.NothingLost(raw, body); err != nil {
							t.Fatal(err)
						}
						var page struct {
							ExecutionLogs []emulator.ExecutionLog
							NextToken     string
							IsTruncated   bool
						}
						b, _ := json.Marshal(body)
						if err := json.Unmarshal(b, &page); err != nil {
							t.Fatal(err)
						}
						for _, l := range page.ExecutionLogs {
							got = append(got, l)
						}
						if page.IsTruncated != (page.NextToken != "") {
							t.Fatalf("IsTruncated %v with NextToken %q", page.IsTruncated, page.NextToken)
						}
						if page.NextToken == "" {
							break
						}
						token = page.NextToken
					}
					if jsonText(got) != jsonText(want) {
						t.Fatalf("paged %d logs, the data has %d, or they differ", len(got), len(want))
					}
				})
			}
		}
	}
}

// Temporary credentials (darabonba's sts type): ACS3 sends
// x-acs-security-token and x-acs-accesskey-id, SignatureVersion 1.0 the
// SecurityToken parameter.
func TestListExecutionLogsTemporaryKeys(t *testing.T) {
	temp := assumeRole(t, rpcV1)
	for _, s := range signings {
		t.Run(string(s), func(t *testing.T) {
			cfg := clientConfig(s)
			cfg.AccessKeyId, cfg.AccessKeySecret, cfg.SecurityToken = tea.String(temp.ak), tea.String(temp.secret), tea.String(temp.token)
			client, err := openapi.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.CallApi(rpc("ListExecutionLogs", "2019-06-01", "AK"),
				&openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{"ExecutionId": emulator.ExecutionID(2)})}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			r := env.Last(t, emulator.APIExecutionLogs)
			checkSigning(t, r, s)
			if by := emulator.SignedBy(r); by != temp.ak {
				t.Errorf("signed by %q, want the temporary key", by)
			}
		})
	}
}

// The service's refusals reach the SDK as its errors, with the code.
func TestListExecutionLogsErrors(t *testing.T) {
	for _, s := range signings {
		client := akClient(t, s, nil)
		for name, c := range map[string]struct {
			q      map[string]interface{}
			code   string
			status int
		}{
			"unknown execution": {map[string]interface{}{"ExecutionId": "exec-" + emulator.HostileText}, "EntityNotExists.Execution", 404},
			"no execution":      {map[string]interface{}{"MaxResults": 10}, "MissingExecutionId", 400},
			"forged token":      {map[string]interface{}{"ExecutionId": emulator.ExecutionID(1), "NextToken": "forged"}, "InvalidNextToken", 400},
		} {
			t.Run(fmt.Sprintf("%s, %s", s, name), func(t *testing.T) {
				_, err := client.CallApi(rpc("ListExecutionLogs", "2019-06-01", "AK"), &openapiutil.OpenApiRequest{Query: openapiutil.Query(c.q)}, &dara.RuntimeOptions{})
				if code, status := sdkErrorCode(t, err); code != c.code || status != c.status {
					t.Fatalf("code %s status %d, want %s %d (after a verified signature)", code, status, c.code, c.status)
				}
			})
		}
		t.Run(fmt.Sprintf("%s, wrong secret", s), func(t *testing.T) {
			cfg := clientConfig(s)
			cfg.AccessKeyId, cfg.AccessKeySecret = tea.String(emulator.DemoAliAccessKey), tea.String("wrong")
			bad, err := openapi.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = bad.CallApi(rpc("ListExecutionLogs", "2019-06-01", "AK"), &openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{"ExecutionId": emulator.ExecutionID(1)})}, &dara.RuntimeOptions{})
			if code, _ := sdkErrorCode(t, err); code != "SignatureDoesNotMatch" {
				t.Fatalf("code %s", code)
			}
		})
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
