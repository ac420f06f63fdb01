import { describe, expect, it } from 'vitest';
import { releaseManifestSchema } from '../release-manifest';
import { composeImages, CURRENT_RELEASE, DEFAULT_IMAGES, imageParameterValues, imageReference, registrySuffix, withRegistry } from './manifest';

describe('the v1.7.5 release manifest', () => {
  it('pins every image of the release by digest', () => {
    expect(CURRENT_RELEASE).toMatchObject({ line: 'current', version: 'v1.7.5', date: '2026-08-19' });
    expect(Object.fromEntries(Object.entries(CURRENT_RELEASE.images).map(([key, image]) => [key, image.tag]))).toEqual({
      lakerunner: 'v1.81.0',
      maestro: 'v1.94.1',
      dex: 'v0.5.0',
      dbInit: '18-alpine',
      otel: 'v1.10.0',
    });
    expect(DEFAULT_IMAGES).toEqual({
      lakerunner: 'public.ecr.aws/cardinalhq.io/lakerunner:v1.81.0@sha256:ec07934e1fcd7e900bb308a9713660742d377e4da047ea7e95affb12f6707018',
      maestro: 'public.ecr.aws/cardinalhq.io/maestro:v1.94.1@sha256:f28b1de681f26e23d174fa65b3a55152cd5c067db1215f89bf0ce9fbd2278edc',
      dex: 'public.ecr.aws/cardinalhq.io/dex-customization:v0.5.0@sha256:3fd7766b7a089948bfbe504ea4b23671b2257e2fed0247ac638c9902aca4aebd',
      dbInit: 'public.ecr.aws/docker/library/postgres:18-alpine@sha256:96d56f7f57c6aacd1fcb908bc83b345ec5f83231ee486dd66a1baadce274db88',
      otel: 'public.ecr.aws/cardinalhq.io/cardinalhq-otel-collector:v1.10.0@sha256:ad9d6459d2d231a4ea0b709347587e4c3dc43eb82e169e915305d9ddae73540c',
    });
    for (const image of Object.values(CURRENT_RELEASE.images)) {
      expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(imageReference(image)).toBe(`${image.registry}/${registrySuffix(image)}`);
    }
  });

  it('composes an image under a registry prefix: prefix + the registry-relative suffix, digest kept', () => {
    const prefix = '123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public';
    expect(withRegistry(prefix, CURRENT_RELEASE.images.lakerunner)).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public/cardinalhq.io/lakerunner:v1.81.0@sha256:ec07934e1fcd7e900bb308a9713660742d377e4da047ea7e95affb12f6707018',
    );
    expect(withRegistry(`${prefix}/`, CURRENT_RELEASE.images.dbInit)).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public/docker/library/postgres:18-alpine@sha256:96d56f7f57c6aacd1fcb908bc83b345ec5f83231ee486dd66a1baadce274db88',
    );
    expect(withRegistry('', CURRENT_RELEASE.images.maestro)).toBe(DEFAULT_IMAGES.maestro);
    expect(composeImages('public.ecr.aws')).toEqual(DEFAULT_IMAGES);
  });

  it('gives the image parameters of the line their composed values', () => {
    expect(imageParameterValues('mirror.example.com:5000/cardinal')).toEqual({
      LakerunnerImage: `mirror.example.com:5000/cardinal/${registrySuffix(CURRENT_RELEASE.images.lakerunner)}`,
      MaestroImage: `mirror.example.com:5000/cardinal/${registrySuffix(CURRENT_RELEASE.images.maestro)}`,
      DexImage: `mirror.example.com:5000/cardinal/${registrySuffix(CURRENT_RELEASE.images.dex)}`,
      DbInitImage: `mirror.example.com:5000/cardinal/${registrySuffix(CURRENT_RELEASE.images.dbInit)}`,
      OtelImage: `mirror.example.com:5000/cardinal/${registrySuffix(CURRENT_RELEASE.images.otel)}`,
    });
  });
});

describe('the built-in manifest and the manifest format', () => {
  it('is a valid manifest of the format npm run releases imports', () => {
    expect(releaseManifestSchema.safeParse(CURRENT_RELEASE).success).toBe(true);
  });
});
