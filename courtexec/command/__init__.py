"""The command centre (执行指挥中心): the bureau's figures, drill-downs, reports and exports."""
