package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

type tV5Answer struct {
	Credentials   v5Credentials `json:"credentials"`
	AssumedAgency struct {
		URN string `json:"urn"`
		ID  string `json:"id"`
	} `json:"assumed_agency"`
}

// assumeV5 sends AssumeAgency signed with creds.
func (e *env) assumeV5(creds hwCreds, body string) result {
	req := e.newReq(http.MethodPost, "/v5/agencies/assume", nil, []byte(body))
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	signHW(req, []byte(body), creds, time.Now())
	return e.send(req)
}

// TestAssumeAgencyV5: the demo agency's URN gives temporary credentials
// that sign the data APIs, issued to the key that asked; they can assume
// the agency again (a chain), with at most 3600 seconds then; a wrong
// URN, a missing session name, a duration out of range and an unsigned
// or expired caller are refused.
func TestAssumeAgencyV5(t *testing.T) {
	now := time.Now()
	clock := &now
	e := newEnv(t, Options{Now: func() time.Time { return *clock }})
	body := func(urn string, duration int) string {
		d := ""
		if duration != 0 {
			d = fmt.Sprintf(`,"duration_seconds":%d`, duration)
		}
		return fmt.Sprintf(`{"agency_urn":%q,"agency_session_name":"ci-session"%s}`, urn, d)
	}
	r := e.assumeV5(e.hw, body(DemoHuaweiAgencyURN, 0))
	wantOK(t, r)
	answer := decodeAs[tV5Answer](t, r)
	a := answer.Credentials
	if answer.AssumedAgency.URN != "sts::"+DemoHuaweiDomainID+":assumed-agency:"+DemoHuaweiAgency+"/ci-session" || answer.AssumedAgency.ID == "" {
		t.Errorf("assumed_agency %+v", answer.AssumedAgency)
	}
	if issuer, _ := e.s.IssuedBy(a.AccessKeyID); issuer != IssuerHuaweiAgencyV5 || e.s.IssuedTo(a.AccessKeyID) != DemoHuaweiAccessKey {
		t.Fatalf("issued by %q to %q", issuer, e.s.IssuedTo(a.AccessKeyID))
	}
	exp, err := time.Parse("2006-01-02T15:04:05.000Z", a.Expiration)
	if err != nil || exp.Sub(now) < 59*time.Minute || exp.Sub(now) > time.Hour {
		t.Fatalf("expiration %q (%v): want an hour", a.Expiration, err)
	}
	temp := hwCreds{a.AccessKeyID, a.SecretAccessKey, a.SecurityToken}
	e2 := *e
	e2.hw = temp
	wantOK(t, e2.send(e2.hwReq("GET", "/v3/projects", nil, nil)))

	// A chain: the temporary credentials assume the agency again, for at
	// most an hour.
	wantOK(t, e.assumeV5(temp, body(DemoHuaweiAgencyURN, 3600)))
	wantHWErr(t, e.assumeV5(temp, body(DemoHuaweiAgencyURN, 7200)), 400, "STS.0001")
	wantOK(t, e.assumeV5(e.hw, body(DemoHuaweiAgencyURN, 43200)))

	wantHWErr(t, e.assumeV5(e.hw, body("iam::"+DemoHuaweiDomainID+":agency:other", 0)), 404, "STS.0004")
	wantHWErr(t, e.assumeV5(e.hw, body("iam::0000:agency:"+DemoHuaweiAgency, 0)), 404, "STS.0004")
	wantHWErr(t, e.assumeV5(e.hw, body(DemoHuaweiAgencyURN, 600)), 400, "STS.0001")
	wantHWErr(t, e.assumeV5(e.hw, fmt.Sprintf(`{"agency_urn":%q}`, DemoHuaweiAgencyURN)), 400, "STS.0001")
	unsigned := e.newReq(http.MethodPost, "/v5/agencies/assume", nil, []byte(body(DemoHuaweiAgencyURN, 0)))
	wantHWErr(t, e.send(unsigned), 401, "APIG.0301")

	// Expired temporary credentials are refused before the agency is.
	*clock = now.Add(2 * time.Hour)
	wantHWErr(t, e.assumeV5(temp, body(DemoHuaweiAgencyURN, 0)), 401, "APIG.0301")
}
