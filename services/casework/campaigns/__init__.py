"""Annual review campaigns (年度复核, seed 001 三(五), issue 21): a county opens the year's reviews with a window."""
