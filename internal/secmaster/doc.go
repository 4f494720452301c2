// Package secmaster holds the Huawei Cloud SecMaster data sources: the
// playbook instance audit logs. Each file is a data source's schema, its
// request and its converter; paging, retries, signing and state building
// are shared (internal/paginate, internal/transport, internal/huaweicloud,
// internal/framework).
package secmaster
