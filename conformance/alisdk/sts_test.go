package alisdk

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

type tempKeys struct{ ak, secret, token, expiration string }

// stsCredentials reads the Credentials of an STS answer as decoded by
// darabonba, after checking that nothing of the raw answer was lost.
func stsCredentials(t *testing.T, res map[string]interface{}) tempKeys {
	t.Helper()
	if err := emutest.NothingLost(lastAnswer(t), res["body"]); err != nil {
		t.Fatal(err)
	}
	body, _ := res["body"].(map[string]interface{})
	c, _ := body["Credentials"].(map[string]interface{})
	k := tempKeys{fmt.Sprint(c["AccessKeyId"]), fmt.Sprint(c["AccessKeySecret"]), fmt.Sprint(c["SecurityToken"]), fmt.Sprint(c["Expiration"])}
	if c == nil || k.ak == "" || k.secret == "" || k.token == "" {
		t.Fatalf("credentials %v", body)
	}
	if _, err := time.Parse("2006-01-02T15:04:05Z", k.expiration); err != nil {
		t.Errorf("Expiration %q: %v", k.expiration, err)
	}
	return k
}

// assumeRole asks STS AssumeRole through CallApi, signed as s says.
func assumeRole(t *testing.T, s signing) tempKeys {
	t.Helper()
	client := akClient(t, s, nil)
	res, err := client.CallApi(rpc("AssumeRole", "2015-04-01", "AK"), &openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{
		"RoleArn": emulator.DemoAliRoleARN, "RoleSessionName": "conformance " + emulator.HostileText, "DurationSeconds": 900,
		"Policy": `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oos:List*","Resource":"*"}]}`,
	})}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatalf("AssumeRole (%s): %v", s, err)
	}
	k := stsCredentials(t, res)
	r := env.Last(t, emulator.APISTS)
	checkSigning(t, r, s)
	if by, _ := env.Server.IssuedBy(k.ak); by != emulator.IssuerAliAssume {
		t.Errorf("issued by %q", by)
	}
	if to := env.Server.IssuedTo(k.ak); to != emulator.DemoAliAccessKey {
		t.Errorf("issued to %q, want the key that signed", to)
	}
	return k
}

func TestAssumeRoleCallApi(t *testing.T) {
	for _, s := range signings {
		t.Run(string(s), func(t *testing.T) { assumeRole(t, s) })
	}
}

// AssumeRoleWithOIDC is anonymous: darabonba sends it unsigned either way.
func TestAssumeRoleWithOIDCCallApi(t *testing.T) {
	idt, err := emulator.IDToken("pipeline", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range signings {
		t.Run(string(s), func(t *testing.T) {
			client, err := openapi.NewClient(clientConfig(s))
			if err != nil {
				t.Fatal(err)
			}
			res, err := client.CallApi(rpc("AssumeRoleWithOIDC", "2015-04-01", "Anonymous"), &openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{
				"RoleArn": emulator.DemoAliRoleARN, "OIDCProviderArn": emulator.DemoAliOIDCProviderARN, "OIDCToken": idt, "RoleSessionName": "ci",
			})}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			k := stsCredentials(t, res)
			if by, _ := env.Server.IssuedBy(k.ak); by != emulator.IssuerAliOIDC {
				t.Errorf("issued by %q", by)
			}
			r := env.Last(t, emulator.APISTS)
			if r.Header.Get("Authorization") != "" || strings.Contains(r.RawQuery, "Signature=") {
				t.Errorf("an anonymous call was signed: %s", r.RawQuery)
			}
		})
	}
}

// Over TLS, as the STS SDK sends (https): the emulator's certificate,
// trusted through SSL_CERT_FILE, as a user would.
func TestAssumeRoleOverTLS(t *testing.T) {
	for _, s := range signings {
		t.Run(string(s), func(t *testing.T) {
			cfg := clientConfig(s)
			cfg.Endpoint, cfg.Protocol = tea.String(env.TLSHost), tea.String("https")
			cfg.AccessKeyId, cfg.AccessKeySecret = tea.String(emulator.DemoAliAccessKey), tea.String(emulator.DemoAliSecretKey)
			client, err := openapi.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := client.CallApi(rpc("AssumeRole", "2015-04-01", "AK"), &openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{
				"RoleArn": emulator.DemoAliRoleARN, "RoleSessionName": "tls"})}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			stsCredentials(t, res)
			if h := env.Last(t, emulator.APISTS).Header.Get("Host"); h != env.TLSHost {
				t.Errorf("Host %q, want the TLS endpoint %s", h, env.TLSHost)
			}
		})
	}
}

// rpcParams are the parameters of a recorded RPC request: its query and
// its form body.
func rpcParams(t *testing.T, r emulator.RecordedRequest) url.Values {
	t.Helper()
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range form {
			q[k] = append(q[k], v...)
		}
	}
	return q
}

// What the official clients send, the provider's RPC signer would send:
// for every SignatureVersion 1.0 request the emulator recorded from them
// (darabonba's and credentials-go's), alicloud.RPCSignature over the same
// parameters gives the client's Signature.
func checkRPCSignatures(t *testing.T, api, secret string, want int) {
	t.Helper()
	n := 0
	for _, r := range env.Server.Recorded(api) {
		p := rpcParams(t, r)
		// The requests the emulator accepted (those it refused include
		// ones signed with a wrong secret on purpose).
		if r.Status != http.StatusOK || r.Header.Get("Authorization") != "" || p.Get("Signature") == "" || p.Get("AccessKeyId") != emulator.DemoAliAccessKey {
			continue
		}
		n++
		if got := alicloud.RPCSignature(r.Method, p, secret); got != p.Get("Signature") {
			t.Errorf("%s %s: the provider's RPC signer gives %s, the client sent %s", r.Method, r.RawQuery, got, p.Get("Signature"))
		}
	}
	if n < want {
		t.Errorf("%d signed %s requests of the demo key recorded, want at least %d", n, api, want)
	}
}

func TestRPCSignaturesOfTheClients(t *testing.T) {
	assumeRole(t, rpcV1)
	_, err := akClient(t, rpcV1, nil).CallApi(rpc("ListExecutionLogs", "2019-06-01", "AK"),
		&openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{"ExecutionId": emulator.ExecutionID(1), "LogType": emulator.HostileLogType})}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRPCSignatures(t, emulator.APISTS, emulator.DemoAliSecretKey, 1)
	checkRPCSignatures(t, emulator.APIExecutionLogs, emulator.DemoAliSecretKey, 1)
}
