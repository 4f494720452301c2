// Package emulator is a local, in-process emulator of the cloud APIs the
// provider reads, plus the Huawei IAM project lookup. Provider unit tests,
// Terraform acceptance tests and `make demo` point every endpoint at one
// base URL (Server.URL).
//
// # Plug-ins
//
// Each API is a plug-in: one file, api_<service>_<name>.go, with its test
// beside it, that registers itself from its init function. Its API*
// constant (its name in Requests, Recorded, Throttled and Faults.APIs)
// documents its route, filters, paging and errors; the file holds its
// handler, its items and their part of the Dataset (fixture JSON key,
// generator with its sizes and their command flags, banner summary), its
// Fixture, its error codes and the fields its hostile answers rewrite.
// The rest of the package knows no API by name: it routes, checks
// signatures, injects faults and hostile answers, and builds the dataset,
// the generator, the summary and Fixtures from the plug-ins, in their
// order.
//
// Routing: a Huawei request goes by its path (each segment decoded, with
// named parameters such as {project_id}; a project id that is not in
// Dataset.Projects is 403 APIG.0302, refused by the gateway) and then its
// method. An Alibaba RPC request (POST or GET "/") goes by its action, the
// x-acs-action header (ACS3) or the Action parameter (query or form body,
// the RPC style), and then its version (x-acs-version or Version). The
// credential services, one plug-in file each (credentials_*.go,
// registered from the file itself; what they share in credentials.go),
// are answered before routing; IAM v5 AssumeAgency is a plug-in of the
// list APIs' kind (api_iam_v5_agencies.go).
//
// Signatures are verified with the emulator's own code (standard
// library only, pinned by the published test vectors): SDK-HMAC-SHA256 on
// the Huawei paths, and on "/" ACS3-HMAC-SHA256 or the RPC signature of
// SignatureVersion 1.0 (HMAC-SHA1).
//
// Per request the order is: record and count; routing (an unknown path is
// 404 APIG.0101 and a wrong method 405, before any signature check, as
// the API gateway answers); injected latency; signature check; the gateway
// rate limit (Faults.RateLimit: a token bucket per API for every client,
// answered as each cloud's gateway throttles, counted by Throttled);
// injected faults (throttle, server error, stall); parameters (an unknown
// RPC action is 400 InvalidAction.NotFound here, counted as APIUnknown; a
// known one with another version 400 InvalidVersion); the answer
// (rewritten, or replaced by a refusal, when Faults.Hostile asks for an
// answer a broken or hostile server would give: see Hostile); then body
// truncation.
//
// Start and StartAt serve over plain HTTP; with Options.TLSAddr the same
// emulator (one state: keys issued over one are accepted over the other)
// is served over HTTPS too, with a certificate of a CA made at start
// (tls.go; Server.CA), for clients that send to https:// whatever the
// endpoint (credentials-go's STS calls).
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
// Credential services (credentials_*.go): IAM securitytokens takes method
// assume_role signed with AK/SK, or method token with the subject token
// in X-Auth-Token or in the body's auth.identity.token.id (the SDK's and
// the huaweicloud provider's form; both given must agree); a token call
// that also carries an AK/SK signature must verify. STS
// AssumeRoleWithOIDC is unsigned, its parameters in the query or in a
// form body; a Timestamp, when sent (credentials-go sends one), is held
// to the signed calls' format and window. The instance metadata service
// answers GET /latest/meta-data/ram/security-credentials/ with the
// instance's role name (credentials-go's discovery when no role is
// configured). STS AssumeRole checks the role's trust
// (credentials_roles.go): DemoAliExternalRoleARN is refused without its
// ExternalId or with another (403 NoPermission, as an unmet trust-policy
// condition), an unknown role does not exist (404 EntityNotExist.Role).
// IAM v5 AssumeAgency takes the demo agency's URN alone (404 otherwise),
// a session name, and a duration of 900 to 43200 seconds, at most 3600
// when signed with temporary credentials (the service's documented chain
// limit); its error codes (STS.0001 for a parameter, STS.0004 for an
// agency it will not give) are the emulator's own, the reference naming
// none. The Huawei ECS metadata service gives a session token for a TTL
// of 1 to 21600 seconds (X-Metadata-Token-Ttl-Seconds) and the agency's
// keys (GET /openstack/latest/securitykey) only with a valid token.
// Every Huawei answer, the credential services' errors and the id-token
// answer included, carries X-Request-Id.
//
// # Where the online reference and the SDK model differ
//
// The emulator follows the official SDK's model (huaweicloud-sdk-go-v3,
// whose requests and decoding the real services serve), and says so:
//
//   - Workspace desktop events (ListDesktopOperations): the English API
//     reference gives limit 0..100, default 10; the SDK's model (and the
//     Chinese reference) 0..1000, default 100. The emulator takes
//     0..1000, default 100.
//   - SecMaster audit logs (ListPlaybookAuditLogs): the full reference
//     gives limit 10..50; the SDK's model offset from 0, limit from 1 and
//     offset + limit < 10000. The emulator takes limit 1..50 (the SDK's
//     lower bound, the reference's upper one, the API's largest page) and
//     refuses offset + limit >= AuditLogsWindow.
//   - SecMaster audit log end time: live answers have been seen carrying
//     last_report_time where the reference and the SDK's model
//     (AuditLogInfo: thirteen fields, end_time among them) have end_time.
//     Generated logs answer end_time only, so an SDK decodes every field;
//     a fixture asks for last_report_time per log (use_last_report_time,
//     and empty_end_time for an end_time "" beside it), which the
//     provider's fallback is tested with.
//   - SecMaster sort_key: start_time or end_time, the values the SDK's
//     model allows.
//   - Workspace script records: limit 1..100, default 10, the reference
//     and the model agreeing.
//
// # Generated data and ids
//
// Generate is deterministic for a seed and Sizes and never reads the clock:
// its data ends at DataEnd, 2026-11-20T12:00:00Z (script records and audit
// logs spread over the three days before it), which tests and fixtures pin.
// GenerateAt ends the same data at another instant; the emulator command
// passes its start time unless -now pins one. The projects are one per
// region in HuaweiRegions, id ProjectID(region) (32 hex digits of SHA-256
// of "opsaudit-emulator/project/"+region); cn-north-4 is the demo region.
// Every project sees the same data. Each API's generator documents its
// ids; every API draws from one random source in turn, in the APIs'
// order.
//
// # Parameters and errors
//
// A non-array parameter given twice is a 400. Offset-paged answers beyond the
// end are empty lists, never null.
//
// The documents fix the shapes, not the codes; the gateways answer:
// Huawei {"error_code","error_msg"} with 401 APIG.0301, 403 APIG.0302,
// 429 APIG.0308, 404/405 APIG.0101 (routing); Alibaba
// {"Code","Message","RequestId","HostId"} with the signature codes above,
// InvalidAction.NotFound, InvalidVersion, 400 Throttling.User and 503
// ServiceUnavailable. A service answers its own errors (bad parameter,
// unknown parent, server error) with its plug-in's codes in its shape:
// Workspace and IAM the gateway's, SecMaster {"code","message"} (its
// gateway errors keep the gateway shape). Every Huawei answer has an
// X-Request-Id header (SecMaster: X-request-id), every Alibaba answer
// x-acs-request-id and a RequestId.
package emulator
