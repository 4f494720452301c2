package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		TypeName: func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
	}
}

// Terraform validates a provider block only when something uses the
// provider: a data source does. Validation fails before any read, so the
// endpoint is never contacted.
const anchor = `
data "opsaudit_alicloud_oos_execution_logs" "x" {
  execution_id = "exec-0001"
}
`

func TestAccProviderValidation(t *testing.T) {
	cases := map[string]struct {
		config string
		want   string
	}{
		"max_retries below zero": {
			`provider "opsaudit" { max_retries = -1 }`,
			`(?s)max_retries.*at least 0`,
		},
		"max_parallel_requests zero": {
			`provider "opsaudit" { max_parallel_requests = 0 }`,
			`(?s)max_parallel_requests.*between 1 and 32`,
		},
		"max_parallel_requests above 32": {
			`provider "opsaudit" { max_parallel_requests = 33 }`,
			`(?s)max_parallel_requests.*between 1 and 32`,
		},
		"unknown huaweicloud endpoint key": {
			`provider "opsaudit" {
			   huaweicloud {
			     endpoints = { workspaces = "https://example.test" }
			   }
			 }`,
			`(?s)endpoints.*value must be one of:.*"iam".*"workspace".*"secmaster"`,
		},
		"unknown alicloud endpoint key": {
			`provider "opsaudit" {
			   alicloud {
			     endpoints = { ecs = "https://example.test" }
			   }
			 }`,
			`(?s)endpoints.*value must be one of:.*"oos"`,
		},
		"endpoint not a URL": {
			`provider "opsaudit" {
			   huaweicloud {
			     endpoints = { iam = "iam.example.test" }
			   }
			 }`,
			`(?s)Invalid endpoint URL.*iam.example.test`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      tc.config + anchor,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

func TestProviderSchemaSensitivity(t *testing.T) {
	srv := NewServer("test")()
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	block := resp.Provider.Block
	top := map[string]tftypeName{}
	for _, a := range block.Attributes {
		top[a.Name] = tftypeName{a.Type.String(), a.Sensitive, a.Optional}
	}
	want := map[string]tftypeName{
		"max_retries":           {"tftypes.Number", false, true},
		"max_parallel_requests": {"tftypes.Number", false, true},
		"insecure":              {"tftypes.Bool", false, true},
	}
	for k, v := range want {
		if top[k] != v {
			t.Errorf("%s: got %+v want %+v", k, top[k], v)
		}
	}
	blocks := map[string]map[string]tftypeName{}
	for _, b := range block.BlockTypes {
		if b.Nesting != tfprotov6.SchemaNestedBlockNestingModeSingle {
			t.Errorf("block %s must be a single nested block, is %v", b.TypeName, b.Nesting)
		}
		m := map[string]tftypeName{}
		for _, a := range b.Block.Attributes {
			m[a.Name] = tftypeName{a.Type.String(), a.Sensitive, a.Optional}
		}
		blocks[b.TypeName] = m
		for _, nb := range b.Block.BlockTypes {
			// The Huawei agencies are a chain: a list of blocks, in order.
			wantNesting := tfprotov6.SchemaNestedBlockNestingModeSingle
			if b.TypeName == "huaweicloud" && nb.TypeName == "assume_role" {
				wantNesting = tfprotov6.SchemaNestedBlockNestingModeList
			}
			if nb.Nesting != wantNesting {
				t.Errorf("block %s.%s nests as %v, want %v", b.TypeName, nb.TypeName, nb.Nesting, wantNesting)
			}
			nm := map[string]tftypeName{}
			for _, a := range nb.Block.Attributes {
				nm[a.Name] = tftypeName{a.Type.String(), a.Sensitive, a.Optional}
			}
			blocks[b.TypeName+"."+nb.TypeName] = nm
		}
	}
	str := func(sensitive bool) tftypeName { return tftypeName{"tftypes.String", sensitive, true} }
	wantHW := map[string]tftypeName{
		"region": str(false), "project_id": str(false), "access_key": str(true), "secret_key": str(true),
		"security_token": str(true), "cloud": str(false), "endpoints": {"tftypes.Map[tftypes.String]", false, true},
		"shared_config_file": str(false), "profile": str(false), "use_ecs_metadata": {"tftypes.Bool", false, true},
	}
	wantAli := map[string]tftypeName{
		"region": str(false), "access_key": str(true), "secret_key": str(true), "security_token": str(true),
		"endpoints":               {"tftypes.Map[tftypes.String]", false, true},
		"shared_credentials_file": str(false), "profile": str(false), "ecs_role_name": str(false), "credentials_uri": str(false),
	}
	num := tftypeName{"tftypes.Number", false, true}
	nested := map[string]map[string]tftypeName{
		"huaweicloud.assume_role": {"agency_name": str(false), "domain_name": str(false), "domain_id": str(false), "duration": num},
		"huaweicloud.assume_role_with_oidc": {"idp_id": str(false), "domain_id": str(false), "id_token": str(true),
			"id_token_file": str(false), "agency_name": str(false), "duration": num},
		"alicloud.assume_role": {"role_arn": str(false), "session_name": str(false), "policy": str(false),
			"session_expiration": num, "external_id": str(false)},
		"alicloud.assume_role_with_oidc": {"oidc_provider_arn": str(false), "role_arn": str(false), "oidc_token": str(true),
			"oidc_token_file": str(false), "role_session_name": str(false), "policy": str(false), "session_expiration": num},
	}
	all := map[string]map[string]tftypeName{"huaweicloud": wantHW, "alicloud": wantAli}
	for k, v := range nested {
		all[k] = v
	}
	for name, want := range all {
		got := blocks[name]
		if len(got) != len(want) {
			t.Errorf("block %s has %d attributes, want %d: %v", name, len(got), len(want), got)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s.%s: got %+v want %+v", name, k, got[k], v)
			}
		}
	}
}

type tftypeName struct {
	Type      string
	Sensitive bool
	Optional  bool
}

// TestAccProviderEndpointEnvironmentInvalid: an endpoint taken from the
// environment that is not a base URL fails the plan, naming the variable;
// the same variable is not looked at when the configuration sets the key.
func TestAccProviderEndpointEnvironmentInvalid(t *testing.T) {
	env := map[string]string{"ALIBABA_CLOUD_ENDPOINT_OOS": "oos.example.test"}
	envFactories := map[string]func() (tfprotov6.ProviderServer, error){
		TypeName: func() (tfprotov6.ProviderServer, error) {
			return NewServer("test", WithGetenv(func(k string) string { return env[k] }))(), nil
		},
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: envFactories,
		Steps: []resource.TestStep{{
			Config:      `provider "opsaudit" {}` + anchor,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid endpoint URL in the environment.*ALIBABA_CLOUD_ENDPOINT_OOS:.*oos\.example\.test`),
		}},
	})
}
