// ClawGuardMonitoring: metrics and alerts computed from one event stream, the audit trail (see docs/MONITORING.md).
//
//   Events/   the event model and the tail that follows the audit table (a ServiceLifecycle `Service`)
//   Metrics/  the reference design's Prometheus metrics, with a configurable name prefix
//   Alerts/   alert rules from the policy over sliding windows: de-duplication, cool-down, resolve
//   Actions/  what an alert does: terminate_session, kill_switch, webhook, PagerDuty, Alertmanager, command, syslog
import ServiceLifecycle
import Prometheus
import Logging
import Metrics
