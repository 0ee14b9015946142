"""执行案件: cases from filing to closure."""
