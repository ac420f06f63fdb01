// Child cert: the certificate the app load balancer's HTTPS listeners use. Passes an ACM or IAM
// certificate ARN through, or turns PEMs into an IAM server certificate (no ACM import, no Lambda).
import { and, equals, getAtt, ifThen, noValue, not, ref } from '@/lib/cfn/template';
import type { ChildDefinition } from '../child';
import { childTags } from '../shared';
import { INSTALL_ID_PARAMETERS, inputsMetadata } from './common';

const pem = (key: string, label: string, description: string) => ({
  key,
  type: 'String' as const,
  label,
  description,
  group: 'Certificate',
  default: '',
  noEcho: true,
  multiline: true,
});

export const certChild: ChildDefinition = {
  meta: { id: 'cert', logicalId: 'Cert', file: 'cardinal-lakerunner/cert', title: 'Certificate' },
  parameters: [
    ...INSTALL_ID_PARAMETERS,
    {
      key: 'CertificateArn',
      type: 'String',
      label: 'Certificate ARN',
      description: 'ARN of an ACM or IAM certificate for the HTTPS listeners; empty builds one from the PEMs.',
      group: 'Certificate',
      default: '',
    },
    pem('CertificateBody', 'Certificate (PEM)', 'PEM-encoded leaf certificate, used when no certificate ARN is given.'),
    pem('CertificatePrivateKey', 'Private key (PEM)', 'PEM-encoded unencrypted private key of the certificate.'),
    pem('CertificateChain', 'Certificate chain (PEM)', 'PEM-encoded intermediate certificates; empty when the issuer needs none.'),
  ],
  build: () => ({
    Description: 'Cardinal cert: the TLS certificate of the load balancer HTTPS listeners, passed through or built from PEMs as an IAM server certificate.',
    Conditions: {
      // Body and key come together; the key is checked too, so an incomplete pair builds nothing.
      CreateServerCert: and(equals(ref('CertificateArn'), ''), not(equals(ref('CertificateBody'), '')), not(equals(ref('CertificatePrivateKey'), ''))),
      HasCertChain: not(equals(ref('CertificateChain'), '')),
    },
    Resources: {
      ServerCertificate: {
        Type: 'AWS::IAM::ServerCertificate',
        Condition: 'CreateServerCert',
        Metadata: inputsMetadata(),
        Properties: {
          CertificateBody: ref('CertificateBody'),
          PrivateKey: ref('CertificatePrivateKey'),
          CertificateChain: ifThen('HasCertChain', ref('CertificateChain'), noValue),
          Tags: childTags('server-cert', 'cert'),
        },
      },
    },
    Outputs: {
      EffectiveCertificateArn: {
        Description: 'The certificate the listeners use: the IAM server certificate built from the PEMs, else the given ARN.',
        Value: ifThen('CreateServerCert', getAtt('ServerCertificate', 'Arn'), ref('CertificateArn')),
      },
    },
  }),
};
