"""Reports: the statutory annual disclosure report and (later) dashboards."""
