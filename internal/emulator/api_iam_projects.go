package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
)

// APIIAM is the Huawei IAM project lookup, GET /v3/projects[?name={region}]
// (KeystoneListProjects): the projects of Dataset.Projects. Faults apply
// to it only when Faults.APIs names it.
const APIIAM = "iam"

func init() {
	register(&api{
		name: APIIAM, order: 0, cloud: huawei,
		rest:        &restRoute{method: http.MethodGet, path: "/v3/projects"},
		handle:      handleIAM,
		codes:       codes{BadRequest: "IAM.0007", ServerError: "IAM.0006"},
		optInFaults: true,
		hostileAnswer: func(c *call, h Hostile, resp *response) *response {
			var id string
			switch h {
			case HostileIAMProject:
				id = IAMHostileProjectID
			case HostileIAMEcho:
				id = "p1/" + c.r.Header.Get(c.api.cloud.tokenHeader)
			default:
				return resp
			}
			return rewrite(resp, func(m map[string]json.RawMessage) {
				var ps []map[string]any
				if json.Unmarshal(m["projects"], &ps) == nil {
					for _, p := range ps {
						p["id"] = id
					}
					m["projects"] = marshal(ps)
				}
			})
		},
	})
}

type iamLinks struct {
	Self     string  `json:"self"`
	Previous *string `json:"previous"`
	Next     *string `json:"next"`
}

type iamSelfLink struct {
	Self string `json:"self"`
}

type iamProject struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	DomainID    string      `json:"domain_id"`
	Enabled     bool        `json:"enabled"`
	Description string      `json:"description"`
	ParentID    string      `json:"parent_id"`
	IsDomain    bool        `json:"is_domain"`
	Links       iamSelfLink `json:"links"`
}

type iamProjectsResponse struct {
	Projects []iamProject `json:"projects"`
	Links    iamLinks     `json:"links"`
}

// handleIAM answers GET /v3/projects[?name=region].
func handleIAM(s *Server, c *call) *response {
	p := params{q: c.query}
	name, byName := p.single("name")
	if p.err != nil {
		return c.serviceError(http.StatusBadRequest, p.err.Error())
	}
	base := "http://" + c.r.Host
	regions := make([]string, 0, len(s.data.Projects))
	for r := range s.data.Projects {
		if !byName || r == name {
			regions = append(regions, r)
		}
	}
	slices.Sort(regions)
	out := iamProjectsResponse{Projects: []iamProject{}, Links: iamLinks{Self: base + c.r.URL.RequestURI()}}
	for _, r := range regions {
		id := s.data.Projects[r]
		out.Projects = append(out.Projects, iamProject{
			ID: id, Name: r, DomainID: DomainID(), Enabled: true, ParentID: DomainID(),
			Links: iamSelfLink{Self: base + "/v3/projects/" + id},
		})
	}
	return c.json(http.StatusOK, out)
}
