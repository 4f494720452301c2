package readme

// The examples of README.md's section "Use the emulator with the official
// SDKs". The lines between a "// README:<name>" marker and "// README:end"
// are the README's code block of that name, character for character
// (after removing one tab of indentation): TestREADMEExamples checks that,
// then runs them against the emulator.

import (
	"fmt"
	"log"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	workspace "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"
)

// huaweiCloudExample: endpoint is the emulator's URL.
func huaweiCloudExample(endpoint string) {
	// README:huaweicloud
	auth, err := basic.NewCredentialsBuilder().
		WithAk("OPSAUDITDEMOHWAK0001").WithSk("opsaudit-demo-huawei-secret-key-0001").
		WithIamEndpointOverride(endpoint). // the SDK's project lookup goes there too
		SafeBuild()
	if err != nil {
		log.Fatal(err)
	}
	hc, err := workspace.WorkspaceClientBuilder().
		WithRegion(region.NewRegion("cn-north-4", endpoint)).WithCredential(auth).SafeBuild()
	if err != nil {
		log.Fatal(err)
	}
	client := workspace.NewWorkspaceClient(hc)
	status := "FAILED"
	resp, err := client.ListScriptRecords(&model.ListScriptRecordsRequest{Status: &status})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*resp.Count, "failed script runs")
	// README:end
}

// aliCloudExample: host is the emulator's host:port.
func aliCloudExample(host string) {
	// README:alicloud
	client, err := openapi.NewClient(&openapiutil.Config{Endpoint: tea.String(host), Protocol: tea.String("http"),
		AccessKeyId: tea.String("OPSAUDITDEMOALIAK001"), AccessKeySecret: tea.String("opsaudit-demo-alicloud-secret-key-001")})
	if err != nil {
		log.Fatal(err)
	}
	params := &openapiutil.Params{Action: tea.String("ListExecutionLogs"), Version: tea.String("2019-06-01"),
		Protocol: tea.String("HTTP"), Method: tea.String("POST"), AuthType: tea.String("AK"), Style: tea.String("RPC"),
		Pathname: tea.String("/"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json")}
	query := openapiutil.Query(map[string]interface{}{"ExecutionId": "exec-0001", "MaxResults": 100})
	resp, err := client.CallApi(params, &openapiutil.OpenApiRequest{Query: query}, &dara.RuntimeOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(resp["body"].(map[string]interface{})["ExecutionLogs"].([]interface{})), "logs")
	// README:end
}
