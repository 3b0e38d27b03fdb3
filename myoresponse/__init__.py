"""myoresponse: the 2016 ACR/EULAR myositis response criteria, computed exactly."""
