it('x', async () => { expect(1).toBe(1); });
