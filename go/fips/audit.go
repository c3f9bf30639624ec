package fips

/*
#include "fips_go.h"

static fips_go_result fips_go_audit(const fips_policy *p, const char *manifest) {
	char *out = NULL;
	fips_status s = fips_audit_json(p, manifest, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_audit_update(const fips_policy *p, const char *old_manifest, const char *new_manifest) {
	char *out = NULL;
	fips_status s = fips_audit_update_json(p, old_manifest, new_manifest, &out);
	return fips_go_finish(s, out);
}
*/
import "C"

import (
	"fmt"
	"runtime"
)

// The audit of Cluster API and kubeadm objects: fips_audit_json and fips_audit_update_json.

// ObjectRef names a Kubernetes object, as the audit reports it.
type ObjectRef struct {
	APIVersion string `json:"apiVersion"`          // e.g. controlplane.cluster.x-k8s.io/v1beta1
	Kind       string `json:"kind"`                // e.g. KubeadmControlPlane
	Namespace  string `json:"namespace,omitempty"` // empty for an object without one
	Name       string `json:"name"`                // empty for a kubeadm ClusterConfiguration
}

// String is "Kind namespace/name (apiVersion)", as fipsctl audit prints an object.
func (r ObjectRef) String() string {
	name := r.Name
	if r.Namespace != "" {
		name = r.Namespace + "/" + name
	}
	return fmt.Sprintf("%s %s (%s)", r.Kind, name, r.APIVersion)
}

// ObjectFinding is a finding about one object: Field is a JSONPath of that object (as
// Kubernetes' StatusCause.field) and Remediation the value to set there. Object is nil for
// a finding about the audit itself (a policy requiring the validated crypto module).
type ObjectFinding struct {
	Finding
	Object *ObjectRef `json:"object,omitempty"`
}

// String is the finding, then the object it points into.
func (f ObjectFinding) String() string {
	if f.Object == nil {
		return f.Finding.String()
	}
	return fmt.Sprintf("%s in %s", f.Finding, *f.Object)
}

// ClusterReport is the verdict on one cluster's objects.
type ClusterReport struct {
	Namespace string          `json:"namespace,omitempty"`
	Name      string          `json:"name"` // Kind/name of the object for one that belongs to no cluster
	Compliant bool            `json:"compliant"`
	Objects   []ObjectRef     `json:"objects"` // the objects read as this cluster's
	Findings  []ObjectFinding `json:"findings"`
}

// Codes are the codes of the findings, in order.
func (c *ClusterReport) Codes() []string {
	out := make([]string, len(c.Findings))
	for i, f := range c.Findings {
		out[i] = f.Code
	}
	return out
}

// String is "namespace/name compliant=... codes=[...]".
func (c ClusterReport) String() string {
	name := c.Name
	if c.Namespace != "" {
		name = c.Namespace + "/" + name
	}
	return fmt.Sprintf("%s compliant=%t codes=%v", name, c.Compliant, c.Codes())
}

// AuditReport is the verdict on a set of objects: one report per cluster. Compliant is true
// only when there is at least one cluster and every cluster is compliant: objects that ask
// for nothing show nothing to be FIPS.
type AuditReport struct {
	Compliant bool            `json:"compliant"`
	Clusters  []ClusterReport `json:"clusters"` // ordered by namespace and name
	Ignored   int             `json:"ignored"`  // objects of kinds that do not matter to FIPS
}

// Codes are the codes of every cluster's findings, cluster by cluster.
func (r *AuditReport) Codes() []string {
	out := []string{}
	for i := range r.Clusters {
		out = append(out, r.Clusters[i].Codes()...)
	}
	return out
}

// String is "compliant=... clusters=N ignored=N codes=[...]".
func (r AuditReport) String() string {
	return fmt.Sprintf("compliant=%t clusters=%d ignored=%d codes=%v", r.Compliant, len(r.Clusters),
		r.Ignored, r.Codes())
}

func auditCompliant(r *AuditReport) bool { return r.Compliant }

// Audit judges Cluster API and kubeadm objects under policy (nil: the embedded default), as
// `fipsctl audit -f` does: manifest is one or many YAML or JSON documents (a multi-document
// stream, a kind: List, `kubectl get -o yaml` output), at most 64 MiB. The objects are
// grouped into clusters and each cluster judged; objects of other kinds are counted in
// Ignored. A report with Compliant false is a negative verdict, not an error. An error means
// no verdict: a manifest that cannot be read (StatusManifestInvalid, Kind "manifest": the
// message names the document, the kind and the field), bad input, or a failed self-test.
func Audit(policy *Policy, manifest []byte) (*AuditReport, error) {
	in := inputs{function: "fips: Audit"}
	defer in.free()
	handle, err := policy.c(in.function)
	if err != nil {
		return nil, err
	}
	cmanifest, err := in.addManifest("manifest", manifest)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_audit(handle, cmanifest))
	runtime.KeepAlive(policy)
	return result[AuditReport](in.function, o, StatusAuditNotCompliant, auditCompliant)
}

// AuditUpdate judges an update of Cluster API and kubeadm objects, as an admission webhook
// does on UPDATE: newManifest is audited as by Audit, and every change of an object's
// Kubernetes version from oldManifest (objects matched by group, kind, namespace and name)
// is judged as CheckTransition judges it: FIPS status is fixed at creation, and a FIPS
// cluster moves only up, to a supported FIPS build.
func AuditUpdate(policy *Policy, oldManifest, newManifest []byte) (*AuditReport, error) {
	in := inputs{function: "fips: AuditUpdate",
		cnames: map[string]string{"old_manifest": "oldManifest", "new_manifest": "newManifest"}}
	defer in.free()
	handle, err := policy.c(in.function)
	if err != nil {
		return nil, err
	}
	cold, err := in.addManifest("oldManifest", oldManifest)
	if err != nil {
		return nil, err
	}
	cnew, err := in.addManifest("newManifest", newManifest)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_audit_update(handle, cold, cnew))
	runtime.KeepAlive(policy)
	return result[AuditReport](in.function, o, StatusAuditNotCompliant, auditCompliant)
}

// addManifest copies a manifest for C, as add does, up to libfips' manifest bound.
func (in *inputs) addManifest(param string, manifest []byte) (*C.char, error) {
	// Cut before the conversion: a 100 MB manifest is not copied whole to be refused.
	return in.addBounded(param, string(manifest[:min(len(manifest), C.FIPS_MAX_MANIFEST_BYTES+1)]))
}
