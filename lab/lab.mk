# Deploy and lab targets. The main Makefile includes this file.
#
#   make deploy [INVENTORY=production] [DEPLOY_REF=HEAD] [ANSIBLE_ARGS=...]   provision + deploy (site.yml)
#   make rollback [INVENTORY=production]   switch back to the previous release (rollback.yml)
#   FORCE_UNLOCK=1 (deploy, rollback, lab-deploy, lab-rollback)   break a deploy lock left by a killed run
#   make backup / make restore [INVENTORY=production]   dump now / restore drill (backup.yml, restore.yml)
#   make pitr PITR_TARGET=... / make pitr-stop [INVENTORY=cluster]   a cluster's point-in-time drill (pitr.yml)  # part: cluster
#   make monitoring [INVENTORY=production]   exporters, Prometheus, Alertmanager alone (monitoring.yml)  # part: monitoring
#   make lab-up [LAB_HOST=lab1] [DEBIAN=13|12] [BOOTSTRAP=root|sudo] [SSH_PORT=22]
#                                  boot a local Debian host (13 by default; BOOTSTRAP=sudo: the
#                                  cloud-image login, user debian with sudo), write lab/.state/inventory
#   make lab-deploy                run site.yml against the lab host(s)
#   make lab-rollback              roll the lab host(s) back to the previous release
#   make lab-ssh [LAB_HOST=lab1]   log in to a lab host as the deploy user (its first login before)
#   make lab-down                  stop every lab host started with lab-up
#   make lab-cluster-up            boot the cluster's hosts (lb1 app1 app2 db1 db2, Debian 13, root  # part: cluster
#                                  layout) in parallel, write lab/.state/cluster-inventory  # part: cluster
#                                  (LAB_CLUSTER_HOSTS=... another set; hosts that exist are kept)  # part: cluster
#   make lab-cluster-deploy        run site.yml against the cluster  # part: cluster
#   make lab-cluster-down          stop and remove the cluster's hosts (only those)  # part: cluster
#   make lab-poweroff LAB_HOST=db1 pull the plug on a lab host (SIGKILL; rootfs and address kept)
#   make lab-poweron LAB_HOST=db1  boot it again, as after a power cut
#   make test-lab                  lab.sh's own tests: mirror choice, list, inventories (no root, seconds)
#   make test-deploy               test-lab, then Debian 13 (root) and 12 (sudo, port 2222) hosts: deploy, check, audit
#   make test-deploy-vm            the same tests in a QEMU VM (own kernel: sysctl checks run)
#   make lint-deploy               ansible-lint (production profile), yamllint, shellcheck
#   make lint-alerts               alert rules: promtool check and unit tests (tests/alerts)  # part: monitoring
#
# Everything installs itself: Debian packages for the lab (debootstrap, systemd-container,
# nftables, zstd) and a tools venv (ansible-core, ansible-lint, yamllint, pytest, uv).

SLIPWAY_CACHE ?= $(HOME)/.cache/slipway
export SLIPWAY_CACHE
DEPLOY_VENV := $(SLIPWAY_CACHE)/venv
DEPLOY_BIN := $(DEPLOY_VENV)/bin
INVENTORY ?= production
DEPLOY_REF ?= HEAD
ANSIBLE_ARGS ?=
# FORCE_UNLOCK=1: break the deploy lock a killed run left (locks older than an hour break anyway).
FORCE_UNLOCK ?=
LOCK_ARGS := $(if $(filter 1,$(FORCE_UNLOCK)),-e app_deploy_lock_break=true)
LAB_HOST ?= lab1
# The host lab-up boots: Debian release, first-login layout, SSH port (see lab/lab.sh). The
# SLIPWAY_* environment variables of lab.sh work too; these win.
DEBIAN ?= $(or $(SLIPWAY_DEBIAN),13)
BOOTSTRAP ?= $(or $(SLIPWAY_BOOTSTRAP),root)
SSH_PORT ?= $(or $(SLIPWAY_SSH_PORT),22)
LAB_ENV := SLIPWAY_DEBIAN=$(DEBIAN) SLIPWAY_BOOTSTRAP=$(BOOTSTRAP) SLIPWAY_SSH_PORT=$(SSH_PORT)
LAB_INVENTORY := lab/.state/inventory
# Playbooks get the inventory's hosts.yml (its group_vars still apply), not the directory:
# ansible would read the vault-pass file beside it as an INI inventory, the password as a host.
# >>> part cluster
# The lab cluster: one load balancer, two app servers, two database servers.
LAB_CLUSTER_HOSTS ?= lb1 app1 app2 db1 db2
LAB_CLUSTER_ENV := SLIPWAY_DEBIAN=13 SLIPWAY_BOOTSTRAP=root SLIPWAY_SSH_PORT=22
LAB_CLUSTER_INVENTORY := lab/.state/cluster-inventory
# <<< part cluster
# The deploy tests' inventories and playbook logs (kept until the next run; a run of its own,
# so other pytest runs on the machine never prune it).
DEPLOY_TEST_LOGS := /var/tmp/slipway-deploy-tests
# Tools on PATH first; ansible reads ansible/ansible.cfg wherever make runs.
DEPLOY_ENV := PATH="$(DEPLOY_BIN):$$PATH" ANSIBLE_CONFIG="$(CURDIR)/ansible/ansible.cfg"

$(DEPLOY_VENV)/.installed: lab/requirements-tools.txt
	@echo "installing deploy tools into $(DEPLOY_VENV)"
	@python3 -m venv "$(DEPLOY_VENV)"
	@"$(DEPLOY_BIN)/pip" install --quiet --disable-pip-version-check -r lab/requirements-tools.txt
	@touch "$@"

.PHONY: deploy-tools
deploy-tools: $(DEPLOY_VENV)/.installed ## Install ansible, ansible-lint, yamllint, pytest (tools venv)

.PHONY: deploy
deploy: deploy-tools ## Provision and deploy: site.yml on ansible/inventories/$(INVENTORY)
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) site.yml \
		-e app_release_ref=$(DEPLOY_REF) $(LOCK_ARGS) $(ANSIBLE_ARGS)

.PHONY: rollback
rollback: deploy-tools ## Switch back to the previous release kept on the server (rollback.yml)
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) rollback.yml $(LOCK_ARGS) $(ANSIBLE_ARGS)

.PHONY: backup
backup: deploy-tools ## Dump the database now (backup.yml; the nightly timer runs the same job)
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) backup.yml $(ANSIBLE_ARGS)

.PHONY: restore
restore: deploy-tools ## Restore drill: newest dump into a fresh database, row counts compared (restore.yml)
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) restore.yml $(ANSIBLE_ARGS)

# >>> part cluster
# A cluster's point-in-time recovery drill (pitr.yml): PITR_TARGET='2026-12-01 12:00:00+00'.
PITR_TARGET ?=
.PHONY: pitr
pitr: deploy-tools ## Cluster: restore to PITR_TARGET into a scratch instance on the backup host (pitr.yml)
	@test -n "$(PITR_TARGET)" || { echo "set PITR_TARGET, e.g. PITR_TARGET='2026-12-01 12:00:00+00'"; exit 2; }
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) pitr.yml \
		-e '{"pitr_target": "$(PITR_TARGET)"}' $(ANSIBLE_ARGS)

.PHONY: pitr-stop
pitr-stop: deploy-tools ## Cluster: stop the PITR drill's scratch instance and remove it
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) pitr.yml -e pitr_stop=true $(ANSIBLE_ARGS)
# <<< part cluster

# >>> part monitoring
.PHONY: monitoring
monitoring: deploy-tools ## Exporters, Prometheus, Alertmanager alone (monitoring.yml): after a change of routes or thresholds
	cd ansible && $(DEPLOY_ENV) ansible-playbook -i inventories/$(INVENTORY) monitoring.yml $(ANSIBLE_ARGS)
# <<< part monitoring

.PHONY: lab-up
lab-up: deploy-tools ## Boot a local Debian host (LAB_HOST=lab1 DEBIAN=13|12 BOOTSTRAP=root|sudo SSH_PORT=22), write its inventory
	$(DEPLOY_ENV) $(LAB_ENV) lab/lab.sh up $(LAB_HOST)
	$(DEPLOY_ENV) lab/lab.sh inventory $(LAB_INVENTORY)

.PHONY: lab-deploy
lab-deploy: deploy-tools ## Run site.yml against the lab host(s)
	@test -f $(LAB_INVENTORY)/hosts.yml || { echo "no lab host: run make lab-up first"; exit 1; }
	$(DEPLOY_ENV) ansible-playbook -i $(LAB_INVENTORY)/hosts.yml --vault-password-file $(LAB_INVENTORY)/vault-pass \
		ansible/site.yml -e app_release_ref=$(DEPLOY_REF) $(LOCK_ARGS) $(ANSIBLE_ARGS)

.PHONY: lab-rollback
lab-rollback: deploy-tools ## Roll the lab host(s) back to the previous release
	@test -f $(LAB_INVENTORY)/hosts.yml || { echo "no lab host: run make lab-up first"; exit 1; }
	$(DEPLOY_ENV) ansible-playbook -i $(LAB_INVENTORY)/hosts.yml --vault-password-file $(LAB_INVENTORY)/vault-pass \
		ansible/rollback.yml $(LOCK_ARGS) $(ANSIBLE_ARGS)

.PHONY: lab-ssh
lab-ssh: ## Log in to a lab host as the deploy user (root or debian before the first deploy)
	@lab/lab.sh ssh $(LAB_HOST)

.PHONY: lab-down
lab-down: ## Stop the lab hosts and remove their files, interfaces and NAT table
	lab/lab.sh down-all
	rm -rf $(LAB_INVENTORY)

# >>> part cluster
.PHONY: lab-cluster-up
lab-cluster-up: deploy-tools ## Boot the cluster's lab hosts (LAB_CLUSTER_HOSTS) in parallel, write its inventory
	$(LAB_CLUSTER_ENV) lab/lab.sh rootfs
	@pids=; for host in $(LAB_CLUSTER_HOSTS); do \
		if [ -f "$${SLIPWAY_LAB_DIR:-/var/tmp/slipway-lab}/$$host/index" ]; then echo "$$host exists: kept"; continue; fi; \
		$(LAB_CLUSTER_ENV) lab/lab.sh up $$host >/dev/null & pids="$$pids $$!"; \
	done; failed=0; for pid in $$pids; do wait $$pid || failed=1; done; exit $$failed
	$(DEPLOY_ENV) lab/lab.sh cluster-inventory $(LAB_CLUSTER_INVENTORY)

.PHONY: lab-cluster-deploy
lab-cluster-deploy: deploy-tools ## Run site.yml against the cluster's lab hosts
	@test -f $(LAB_CLUSTER_INVENTORY)/hosts.yml || { echo "no lab cluster: run make lab-cluster-up first"; exit 1; }
	$(DEPLOY_ENV) ansible-playbook -i $(LAB_CLUSTER_INVENTORY)/hosts.yml --vault-password-file $(LAB_CLUSTER_INVENTORY)/vault-pass \
		ansible/site.yml -e app_release_ref=$(DEPLOY_REF) $(LOCK_ARGS) $(ANSIBLE_ARGS)

.PHONY: lab-cluster-down
lab-cluster-down: ## Stop the cluster's lab hosts (LAB_CLUSTER_HOSTS) and remove their files; other lab hosts keep running
	@for host in $(LAB_CLUSTER_HOSTS); do lab/lab.sh down $$host || exit 1; done
	rm -rf $(LAB_CLUSTER_INVENTORY)
# <<< part cluster

.PHONY: lab-poweroff
lab-poweroff: ## Pull the plug on lab host LAB_HOST (SIGKILL, no shutdown; its rootfs and address stay)
	lab/lab.sh poweroff $(LAB_HOST)

.PHONY: lab-poweron
lab-poweron: ## Boot lab host LAB_HOST again after lab-poweroff (same address)
	lab/lab.sh poweron $(LAB_HOST)

.PHONY: test-lab
test-lab: deploy-tools ## lab.sh's own tests on fake apt trees and hosts: mirror choice, list, inventory
	$(DEPLOY_ENV) pytest -c tests/lab/pytest.ini tests/lab -q

.PHONY: test-deploy
test-deploy: test-lab ## Deploy tests: Debian 13 (root) and 12 (sudo user, port 2222) in parallel, site.yml, checks and audits
	SLIPWAY_DEBIAN=13 lab/lab.sh rootfs & first=$$!; SLIPWAY_DEBIAN=12 lab/lab.sh rootfs; wait $$first
	$(DEPLOY_ENV) pytest -c tests/deploy/pytest.ini --basetemp=$(DEPLOY_TEST_LOGS) tests/deploy $(PYTEST_ARGS) </dev/null

.PHONY: test-deploy-vm
test-deploy-vm: deploy-tools ## The deploy tests in a QEMU VM with its own kernel (slow without KVM)
	SLIPWAY_DEBIAN=$(DEBIAN) lab/lab.sh vm-rootfs
	SLIPWAY_DEBIAN=$(DEBIAN) SLIPWAY_LAB_TIER=vm $(DEPLOY_ENV) pytest -c tests/deploy/pytest.ini \
		tests/deploy $(PYTEST_ARGS) </dev/null

.PHONY: lint-deploy
lint-deploy: deploy-tools install ## Lint the playbooks (ansible-lint production profile, yamllint) and lab scripts
	cd ansible && $(DEPLOY_ENV) yamllint -s .
	cd ansible && $(DEPLOY_ENV) ansible-lint
	$(SHELLCHECK) lab/*.sh .ci/run .ci/*.sh

# >>> part monitoring
# promtool: Debian's (the same the servers run), fetched into .tools/ by scripts/promtool.py,
# pinned by SHA-256, on any Linux control machine (no apt, no root). Where it cannot run (macOS,
# say) the script says so and exits 3: the target then names the CI job that checks the rules.
ALERTS_BUILD := $(CURDIR)/.tools/alerts

.PHONY: lint-alerts
lint-alerts: deploy-tools install ## Alert rules: render them with the role's thresholds, promtool check + unit tests (tests/alerts)
	@status=0; promtool=$$($(RUN) python -m scripts.promtool) || status=$$?; \
	if [ "$$status" = 3 ]; then echo "lint-alerts: not run here (see above)"; exit 0; fi; \
	[ "$$status" = 0 ] || exit "$$status"; \
	rm -rf "$(ALERTS_BUILD)" && mkdir -p "$(ALERTS_BUILD)" && cp tests/alerts/*.test.yml "$(ALERTS_BUILD)/" && \
	$(DEPLOY_ENV) ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_DEPRECATION_WARNINGS=false \
		ansible localhost -c local -m ansible.builtin.template \
		-a "src=ansible/roles/monitoring/templates/alerts.yml.j2 dest=$(ALERTS_BUILD)/slipway-alerts.yml mode=0644" \
		-e @ansible/roles/monitoring/defaults/main.yml >/dev/null && \
	echo "$$promtool check rules slipway-alerts.yml" && "$$promtool" check rules "$(ALERTS_BUILD)/slipway-alerts.yml" && \
	cd "$(ALERTS_BUILD)" && "$$promtool" test rules *.test.yml
# make lint runs the alert rules' checks too.
lint: lint-alerts
# <<< part monitoring
