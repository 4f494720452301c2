// Package emulator is a local, in-process emulator of the four cloud APIs
// the provider reads, plus the Huawei IAM project lookup. Provider unit tests,
// Terraform acceptance tests and `make demo` point every endpoint at one base
// URL (Server.URL) and the emulator routes by path:
//
//	GET  /v3/projects[?name={region}]                                          IAM project lookup            (APIIAM)
//	GET  /v2/{project_id}/script-execution-records                             Workspace ListScriptExecutionRecords (APIScriptRecords)
//	GET  /v2/{project_id}/screen-records/{record_id}/os-operations             Workspace ListKeyDesktopEvents (APIDesktopEvents)
//	POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs  SecMaster ListPlaybookAuditLogs (APIAuditLogs)
//	POST /  (action ListExecutionLogs, version 2019-06-01, in x-acs-* headers or the query)  Alibaba OOS ListExecutionLogs (APIExecutionLogs)
//
// It verifies signatures with its own code (standard library only, pinned by
// the published test vectors): SDK-HMAC-SHA256 on the Huawei paths, and on
// "/" ACS3-HMAC-SHA256 or the RPC signature of SignatureVersion 1.0
// (HMAC-SHA1). Per request the order is: record and count,
// routing (an unknown path is 404 APIG.0101 and a wrong method 405, before any
// signature check, as the API gateway answers), injected latency, signature
// check, the gateway rate limit (Faults.RateLimit: a token bucket per API
// for every client, answered as each cloud's gateway throttles, counted by
// Throttled), injected faults (throttle, server error, stall), parameter
// validation and the answer (rewritten, or replaced by a refusal, when
// Faults.Hostile asks for an answer a broken or hostile server would give:
// see Hostile), then body truncation.
//
// # Signature rules, and on whose authority
//
// The emulator is as strict as the clouds and no stricter. The signing
// guides and their vectors fix the algorithms; the official SDKs, whose
// requests the real gateways accept, fix what a signature must cover and
// which request shapes are valid (conformance/ in this repository drives
// them against the emulator).
//
// The canonical request is rebuilt from what arrived: the method; the path,
// each segment decoded and re-encoded keeping only A-Z a-z 0-9 - _ . ~ (Huawei
// appends "/"); the query parsed as application/x-www-form-urlencoded ('+' is
// a space) and re-encoded the same way, sorted by raw name, then raw value;
// the signed headers in the order listed, values trimmed, repeated headers
// joined with ',', host taken from the request's Host; and the SHA-256 of
// the body (Alibaba: the x-acs-content-sha256 header, which must match the
// body).
//
// Huawei: x-sdk-date must be signed (and x-security-token when the key is
// temporary); host need not be, since huaweicloud-sdk-go-v3
// (core/auth/signer) signs the headers it sets,
// user-agent;x-project-id;x-sdk-date, and no host. X-Sdk-Date must be
// within 15 minutes of Options.Now; every failure is 401 APIG.0301.
//
// Alibaba ACS3 (an Authorization header): x-acs-date (within 15 minutes),
// x-acs-signature-nonce (never reused within 15 minutes) and
// x-acs-content-sha256 must be sent, and host, content-type when sent and
// every x-acs-* header sent must be signed, as darabonba-openapi signs
// them. Alibaba RPC SignatureVersion 1.0 (no Authorization header, a
// Signature parameter): AccessKeyId, Signature, SignatureMethod=HMAC-SHA1,
// SignatureVersion=1.0, SignatureNonce (never reused) and Timestamp
// (2006-01-02T15:04:05Z, within 15 minutes) given once each, a temporary
// key's SecurityToken, and the signature over every other parameter of
// the query and of a form body. Both are accepted on every RPC action,
// OOS and STS alike: darabonba-openapi signs ACS3 by default and RPC v1
// when asked, credentials-go and the STS SDK sign STS with RPC v1.
// Alibaba failures: 400 IncompleteSignature (a missing or repeated
// signature element, an unsupported method or version), 404
// InvalidAccessKeyId.NotFound, 400 SignatureDoesNotMatch, 400
// InvalidTimeStamp.Expired (or .Format), 400 SignatureNonceUsed, 400
// InvalidSecurityToken.MismatchWithAccessKey. A security token sent when
// none is configured is refused by both clouds.
//
// Credential services (credentials.go): IAM securitytokens takes method
// assume_role signed with AK/SK, or method token with the subject token
// in X-Auth-Token or in the body's auth.identity.token.id (the SDK's and
// the huaweicloud provider's form; both given must agree); a token call
// that also carries an AK/SK signature must verify. STS
// AssumeRoleWithOIDC is unsigned, its parameters in the query or in a
// form body; a Timestamp, when sent (credentials-go sends one), is held
// to the signed calls' format and window. The instance metadata service
// answers GET /latest/meta-data/ram/security-credentials/ with the
// instance's role name (credentials-go's discovery when no role is
// configured). Every Huawei answer, the credential services' errors and
// the id-token answer included, carries X-Request-Id.
//
// # Generated data and ids
//
// Generate is deterministic for a seed and Sizes and never reads the clock:
// its data ends at DataEnd, 2026-11-20T12:00:00Z (script records and audit
// logs spread over the three days before it), which tests and fixtures pin.
// GenerateAt ends the same data at another instant; the emulator command
// passes its start time unless -now pins one. Ids:
//
//   - projects: one per region in HuaweiRegions, id ProjectID(region) (32
//     hex digits of SHA-256 of "opsaudit-emulator/project/"+region);
//     cn-north-4 is the demo region. Every project sees the same data.
//   - script records: "ser-000001".. newest first; record i (0-based) runs
//     script i%8 ("script-01".."script-08", script 2 is HostileScriptID,
//     script 3's name is HostileScriptName, script 8 is "harden-desktop",
//     the script of README.md's first example) on desktop (i/8)%R with
//     R = max(4, n/10) ("desktop-0001".., desktop 2 is HostileResourceID),
//     in resource group "rg-01".."rg-04" by desktop (group 2 is
//     HostileResourceGroupID). The first 8*R records are the latest of their
//     (resource_id, script_id) pair; the rest have History set. Task ids
//     "task-00001-01" group five records of one script. Statuses SUCCESS,
//     FAILED (always record 4, about 15%), RUNNING, WAITING; scripts 3 and 6
//     are COMMAND tasks, the rest SCRIPT.
//   - screen records: ScreenRecordID(n) = "sr-0001".., events "ev-0001-00001"..;
//     event j has id EventIDs[j%19] (all documented ids plus REG_*), its
//     type from the id's prefix, and a level so that 57 events cover every
//     (id, level) pair; operation_time alternates "2026-11-19 09:00:01" and
//     ISO forms; every 4th event_data holds HostileText.
//   - workspaces: WorkspaceID(n) = "ws-0001"..; logs cycle through every
//     instance_type, status, trigger_type and log_level; action ids "act-01"..
//     (action 3 is HostileActionID, action 4 named HostileActionName);
//     instance ids "inst-0001-0001" (every 9th carries HostileText); every
//     5th log (i%5 == 3) answers last_report_time instead of end_time,
//     every 10th of those (i%10 == 8) with end_time "" beside it.
//   - executions: ExecutionID(n) = "exec-0001"..; task execution ids
//     "exec-0001.t0001" (ten logs per task, task 3 carries HostileText); log
//     types System, Task, Output and HostileLogType (every 11th log).
//
// # Filter semantics
//
// Script records: repeated resource_id, resource_group_id, script_id and
// script_name keys form a list and a record matches when its field equals any
// value; status, script_task_id, task_type (SCRIPT|COMMAND) and is_first_order
// match exactly; execute_time_start <= start_time <= execute_time_end
// (inclusive, RFC 3339). Without show_history=true only records whose
// History is false are returned; show_history=true needs resource_id and
// script_id and returns history too. count is every match.
// Desktop events: event_type, event_id and event_level match exactly
// (event_type and event_level validated against their enums; event_id is
// any string, as the official SDK's model takes it; event_id and
// event_type are ANDed, never an error), event_data is a case-sensitive substring; limit 0..1000, default
// 100 (the official SDK's model).
// Audit logs: offset and limit are mandatory, limit 1..50, and a request
// is refused (400, SecMaster's error shape) unless offset + limit < 10000
// (AuditLogsWindow, the official SDK's model); the body is optional (none
// means no filter; a body must be JSON with a JSON Content-Type).
// instance_type, status, trigger_type, log_level (validated),
// action_id, instance_id and parent_instance_id match exactly; action_name,
// input, output and error_msg are case-sensitive substrings; start_time
// keeps logs starting at or after it and end_time keeps logs whose end (or
// last report) time is at or before it. sort_key is start_time or end_time
// (the official SDK's model; anything else is a 400), a stable string
// comparison of that time (end_time: whichever key it is sent under);
// without it, dataset order. Execution logs:
// TaskExecutionId and LogType match exactly; NextToken is an HMAC-protected
// blob bound to ExecutionId, TaskExecutionId, LogType and MaxResults.
//
// A non-array parameter given twice is a 400. Offset-paged answers beyond the
// end are empty lists, never null.
//
// # Errors
//
// The documents fix the shapes, not the codes; the emulator answers:
// Huawei {"error_code","error_msg"} with 400 WKS.00000400 (bad parameter),
// 404 WKS.00000404 (unknown screen record), 403 APIG.0302 (a project id in
// the path that is not in Dataset.Projects, refused by the gateway), 401
// APIG.0301, 429 APIG.0308, 500 WKS.00000500 (IAM.0006 for IAM), 404/405
// APIG.0101 (routing); SecMaster {"code","message"} with 400
// SecMaster.00040001, 404 SecMaster.00040401 (unknown workspace), 500
// SecMaster.00050001 (gateway errors such as 401 and 429 keep the gateway
// shape); Alibaba {"Code","Message","RequestId","HostId"} with the codes of
// the OOS document (MissingExecutionId, InvalidParameter, InvalidNextToken,
// InvalidNextTokenQuery, EntityNotExists.Execution, InvalidVersion,
// InvalidAction.NotFound), 400 Throttling.User and 503 ServiceUnavailable.
// Every Huawei answer has an X-Request-Id header (SecMaster: X-request-id),
// every Alibaba answer x-acs-request-id and a RequestId.
package emulator
