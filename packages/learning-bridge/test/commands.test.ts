import { describe, expect, test } from 'vitest';
import { isMutatingCommand, servicesInCommand, servicesInPath } from '../src/index.js';

describe('isMutatingCommand', () => {
  test.each([
    'kubectl apply -f deploy/k8s/web.yaml',
    'kubectl --context prod rollout undo deployment/web -n shop',
    'kubectl -n shop rollout restart deploy/web',
    'kubectl scale deployment web --replicas=4',
    'kubectl set env deployment/web LOG_LEVEL=debug',
    'helm upgrade web charts/web -n shop',
    'terraform apply -auto-approve',
    'sudo systemctl restart nginx',
    'docker compose up -d web',
    'git revert HEAD --no-edit && git push',
    "sed -i 's/40/80/' config.yaml",
    'echo "DB_POOL_MAX=40" >> .env',
    'aws ecs update-service --cluster prod --service web --force-new-deployment',
    'psql "$DATABASE_URL" -c "UPDATE flags SET enabled = false WHERE name = \'new_checkout\'"',
    'curl -X POST https://deploy.internal/api/rollback',
    './scripts/rollback.sh web v2.13.2',
  ])('changes something: %s', (command) => {
    expect(isMutatingCommand(command)).toBe(true);
  });

  test.each([
    'kubectl get pods -n shop -l app=web',
    'kubectl --context prod rollout status deployment/web -n shop',
    'kubectl rollout history deployment/web',
    'kubectl logs web-7d9f8b6c5-x2k4q --previous',
    'kubectl describe pod web-0 -n shop',
    'helm history web -n shop',
    'terraform plan',
    'git log --oneline -5 && git diff HEAD~1',
    'grep -rn "DB_POOL_MAX" deploy/ 2>/dev/null | head',
    "curl -s -o /dev/null -w '%{http_code}' https://web.internal/healthz",
    'cat config.yaml > /dev/null 2>&1',
    'journalctl -u nginx --since "10 min ago"',
    'psql "$DATABASE_URL" -c "SELECT count(*) FROM payments"',
    "grep '>' notes.txt",
  ])('only looks: %s', (command) => {
    expect(isMutatingCommand(command)).toBe(false);
  });
});

describe('service names in commands and paths', () => {
  test('kubectl namespaces, workloads, selectors and pods', () => {
    const found = servicesInCommand(
      'kubectl --context prod get pods -n payments -l app=payments-api && kubectl logs payments-api-7d9f8b6c5-x2k4q -n payments && kubectl rollout restart deployment/ledger',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { name: 'payments', kind: 'namespace' },
        { name: 'payments-api', kind: 'label' },
        { name: 'payments-api', kind: 'pod' },
        { name: 'ledger', kind: 'deployment' },
      ]),
    );
    expect(found.some((m) => m.name === 'prod')).toBe(false);
  });

  test('helm releases and systemd units', () => {
    expect(servicesInCommand('helm upgrade checkout charts/checkout -n shop')).toEqual(
      expect.arrayContaining([
        { name: 'checkout', kind: 'helm-release' },
        { name: 'shop', kind: 'namespace' },
      ]),
    );
    expect(servicesInCommand('sudo systemctl restart nginx.service')).toEqual([{ name: 'nginx', kind: 'unit' }]);
  });

  test('the folder after services/, k8s/, charts/ in a path', () => {
    expect(servicesInPath('/repo/deploy/k8s/payments-api/configmap.yaml')).toEqual([
      { name: 'payments-api', kind: 'path' },
    ]);
    expect(servicesInPath('services/ledger/src/main.go')).toEqual([{ name: 'ledger', kind: 'path' }]);
    expect(servicesInPath('src/index.ts')).toEqual([]);
  });
});
