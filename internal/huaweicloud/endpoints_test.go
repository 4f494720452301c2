package huaweicloud

import "testing"

// TestEndpoint_sdkRegionTables: without overrides or a cloud suffix, each
// service is at the host the official SDK's region table gives it, the
// exceptions included.
func TestEndpoint_sdkRegionTables(t *testing.T) {
	c := NewClient(Config{}, nil)
	for _, tt := range []struct{ service, region, want string }{
		// The exception: IAM in eu-west-101 is on myhuaweicloud.eu
		// (services/iam/v3/region/region.go) ...
		{"iam", "eu-west-101", "https://iam.eu-west-101.myhuaweicloud.eu"},
		// ... while Workspace and SecMaster there stay on myhuaweicloud.com.
		{"workspace", "eu-west-101", "https://workspace.eu-west-101.myhuaweicloud.com"},
		{"secmaster", "eu-west-101", "https://secmaster.eu-west-101.myhuaweicloud.com"},
		// The rule, in a region of every table and in one of none.
		{"iam", "cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com"},
		{"workspace", "cn-north-4", "https://workspace.cn-north-4.myhuaweicloud.com"},
		{"secmaster", "cn-north-4", "https://secmaster.cn-north-4.myhuaweicloud.com"},
		{"iam", "eu-west-0", "https://iam.eu-west-0.myhuaweicloud.com"},
		{"secmaster", "xx-test-1", "https://secmaster.xx-test-1.myhuaweicloud.com"},
	} {
		got, err := c.Endpoint(tt.service, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("%s in %s: got %q, %v; want %q", tt.service, tt.region, got, err, tt.want)
		}
	}
}

// TestEndpoint_exceptionsAreTheTables: every entry of the exception table
// is tested above with its expected host, so a new entry needs a test.
func TestEndpoint_exceptionsAreTheTables(t *testing.T) {
	tested := map[serviceRegion]string{
		{"iam", "eu-west-101"}: "iam.eu-west-101.myhuaweicloud.eu",
	}
	if len(hostExceptions) != len(tested) {
		t.Fatalf("hostExceptions has %d entries, %d tested: add a test per exception", len(hostExceptions), len(tested))
	}
	for k, want := range tested {
		if got := DefaultHost(k.service, k.region); got != want {
			t.Errorf("DefaultHost(%s, %s) = %q, want %q", k.service, k.region, got, want)
		}
	}
}

// TestEndpoint_cloudOverridesTheTables: a configured cloud suffix puts
// every service, the exceptions included, at https://{service}.{region}.{cloud};
// an endpoint override wins over both.
func TestEndpoint_cloudOverridesTheTables(t *testing.T) {
	for _, tt := range []struct {
		cfg                   Config
		service, region, want string
	}{
		{Config{Cloud: "myhuaweicloud.com"}, "iam", "eu-west-101", "https://iam.eu-west-101.myhuaweicloud.com"},
		{Config{Cloud: "myhuaweicloud.eu"}, "workspace", "eu-west-101", "https://workspace.eu-west-101.myhuaweicloud.eu"},
		{Config{Cloud: "Example.TEST"}, "iam", "eu-west-101", "https://iam.eu-west-101.example.test"},
		{Config{Cloud: "example.test", Endpoints: map[string]string{"iam": "http://127.0.0.1:1/"}}, "iam", "eu-west-101", "http://127.0.0.1:1"},
		{Config{Endpoints: map[string]string{"iam": "http://127.0.0.1:1"}}, "iam", "eu-west-101", "http://127.0.0.1:1"},
	} {
		got, err := NewClient(tt.cfg, nil).Endpoint(tt.service, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("%+v, %s in %s: got %q, %v; want %q", tt.cfg, tt.service, tt.region, got, err, tt.want)
		}
	}
}
