package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// APIAssumeAgency is Huawei IAM v5 AssumeAgency, POST /v5/agencies/assume
// on the STS endpoint (https://support.huaweicloud.com/intl/en-us/api-iam5/AssumeAgency.html;
// huaweicloud-sdk-go-v3 services/sts/v1): the signed caller trades its
// credentials, permanent or temporary, for the agency's temporary ones.
// Faults apply to it only when Faults.APIs names it.
const APIAssumeAgency = "iam-v5-assume-agency"

// IssuerHuaweiAgencyV5 is the IssuedBy of credentials of APIAssumeAgency.
const IssuerHuaweiAgencyV5 = "huawei-assume-agency-v5"

// DemoHuaweiAgencyURN is the URN of the one agency APIAssumeAgency lets
// a caller assume: DemoHuaweiAgency of DemoHuaweiDomainID.
const DemoHuaweiAgencyURN = "iam::" + DemoHuaweiDomainID + ":agency:" + DemoHuaweiAgency

func init() {
	register(&api{
		name: APIAssumeAgency, order: 1, cloud: huawei,
		rest:        &restRoute{method: http.MethodPost, path: "/v5/agencies/assume"},
		handle:      handleAssumeAgency,
		codes:       codes{BadRequest: "STS.0001", NotFound: "STS.0004", ServerError: "STS.0500"},
		optInFaults: true,
	})
}

// v5Credentials is the credentials object of an AssumeAgency answer.
type v5Credentials struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SecurityToken   string `json:"security_token"`
	Expiration      string `json:"expiration"`
}

// handleAssumeAgency answers a signed AssumeAgency as the service does:
// the body's agency_urn must name the demo agency (any other one, or a
// malformed URN, is refused as not found or not allowed) and
// agency_session_name must be given; duration_seconds is 900 to 43200
// (default 3600), and at most 3600 when the caller signs with temporary
// credentials (a chain of agencies), as the service's documentation says
// (https://support.huaweicloud.com/intl/en-us/usermanual-iam5/iam_01_1237.html).
// The signature was checked before (expired temporary credentials are
// refused there).
func handleAssumeAgency(s *Server, c *call) *response {
	var req struct {
		AgencyURN         string `json:"agency_urn"`
		AgencySessionName string `json:"agency_session_name"`
		DurationSeconds   *int   `json:"duration_seconds"`
		ExternalID        string `json:"external_id"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return c.serviceError(http.StatusBadRequest, "The request body is not JSON.")
	}
	// 2 to 128 characters (huaweicloud-sdk-go-v3, services/sts/v1/model).
	if len(req.AgencySessionName) < 2 || len(req.AgencySessionName) > 128 {
		return c.serviceError(http.StatusBadRequest, "agency_session_name is required: 2 to 128 characters.")
	}
	if req.AgencyURN != DemoHuaweiAgencyURN {
		return c.notFound(fmt.Sprintf("The agency %q does not exist, or it does not trust the caller.", req.AgencyURN))
	}
	duration, ceiling := 3600, 43200
	if c.r.Header.Get("X-Security-Token") != "" {
		ceiling = 3600
	}
	if d := req.DurationSeconds; d != nil {
		if *d < 900 || *d > ceiling {
			return c.serviceError(http.StatusBadRequest, fmt.Sprintf("duration_seconds must be between 900 and %d.", ceiling))
		}
		duration = *d
	}
	ak, is := s.creds.issue(s.now(), s.lifetime(time.Duration(duration)*time.Second), true, IssuerHuaweiAgencyV5,
		SignedBy(RecordedRequest{Header: c.r.Header}))
	return c.json(http.StatusOK, map[string]any{
		"credentials": v5Credentials{AccessKeyID: ak, SecretAccessKey: is.secret, SecurityToken: is.token,
			Expiration: is.expires.UTC().Format("2006-01-02T15:04:05.000Z")},
		"assumed_agency": map[string]string{
			"urn": "sts::" + DemoHuaweiDomainID + ":assumed-agency:" + DemoHuaweiAgency + "/" + req.AgencySessionName,
			"id":  "0a1b2c3d4e5f60718293a4b5c6d7e8fa:" + req.AgencySessionName,
		},
	})
}
