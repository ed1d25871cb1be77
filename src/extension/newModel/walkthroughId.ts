/** The Getting Started walkthrough: <publisher>.<name>#<walkthrough id> of package.json. */
export const WALKTHROUGH_ID = 'seqmodel-studio.seqmodel-studio#seqmodel.gettingStarted';
