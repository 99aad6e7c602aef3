# The cluster tests (issue 15): five Debian 13 lab hosts (lb1, app1, app2, db1, db2; app3 for
# the grow test) booted by the tests, provisioned with site.yml, then broken on purpose under
# load through lb1. The Makefile includes this file after lab/lab.mk (DEPLOY_ENV, test-lab).
CLUSTER_TEST_LOGS := /var/tmp/slipway-cluster-tests

.PHONY: test-cluster
test-cluster: test-lab ## Cluster tests: lb, 2 app, 2 db lab hosts; rolling deploy, power-offs, failover, PITR, grow
	SLIPWAY_DEBIAN=13 lab/lab.sh rootfs
	$(DEPLOY_ENV) pytest -c tests/cluster/pytest.ini --basetemp=$(CLUSTER_TEST_LOGS) tests/cluster $(PYTEST_ARGS) </dev/null
